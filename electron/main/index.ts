import { startApp } from './app';

void startApp(import.meta.dirname).catch((err: unknown) => {
  console.error('[mailwright] failed to start', err);
  process.exit(1);
});
