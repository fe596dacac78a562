import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real SMTP servers and child processes; two workers suit the 2-core machines we run on.
    maxWorkers: 2,
  },
});
