import { promises as fs } from 'node:fs';
import { buildMessage } from '../../electron/core/message/build-message';

/** The outbox's builder, its message always at `path` (one without files comes back in memory; tests read files). */
export async function buildToFile(...args: Parameters<typeof buildMessage>): ReturnType<typeof buildMessage> {
  const built = await buildMessage(...args);
  if (built.bytes) await fs.writeFile(args[3], built.bytes);
  return built;
}
