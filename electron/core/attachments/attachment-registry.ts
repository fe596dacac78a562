import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, extname } from 'node:path';
import type { AttachmentInfo } from '../../../shared/model/draft';
import { MailwrightError } from '../errors';
import { withoutControls } from './file-name';

export interface RegisteredAttachment extends AttachmentInfo {
  path: string;
  mtimeMs: number;
}

const TYPES: Record<string, string> = {
  '.pdf': 'application/pdf', '.txt': 'text/plain', '.csv': 'text/csv', '.html': 'text/html', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.svg': 'image/svg+xml',
  '.zip': 'application/zip', '.json': 'application/json', '.doc': 'application/msword', '.odt': 'application/vnd.oasis.opendocument.text',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Why a file cannot be read, in words, without its path: paths stay in main, the renderer only knows names. */
function why(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'it is no longer there (moved or deleted)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission to read it was refused';
  if (code === 'EISDIR') return 'it is a folder';
  return code ? `the system said ${code}` : ((cause as Error).message ?? String(cause));
}

export const unreadable = (name: string, cause?: unknown) =>
  new MailwrightError(
    'ATTACHMENT_UNREADABLE',
    `The attachment "${name}" cannot be read${cause ? `: ${why(cause)}` : ''}.`,
    'Check that the file still exists and is readable, or remove it from the message and attach it again.',
    { cause },
  );

/**
 * Files chosen by the user (native dialog, CLI argument), known to everyone else only by an
 * opaque handle: the renderer never supplies or learns a path, so it cannot make main read
 * a file the user did not pick.
 */
export class AttachmentRegistry {
  private readonly byHandle = new Map<string, RegisteredAttachment>();

  /** Called by trusted code only (a dialog result, a CLI argument). */
  async register(path: string): Promise<AttachmentInfo> {
    const name = withoutControls(basename(path)) || 'attachment';
    let stat;
    try {
      stat = await fs.stat(path);
      await fs.access(path, fs.constants.R_OK);
    } catch (err) {
      throw unreadable(name, err);
    }
    if (!stat.isFile()) throw unreadable(name, new Error('it is not a regular file'));
    const handle = `att_${randomBytes(16).toString('base64url')}`;
    const entry: RegisteredAttachment = {
      handle,
      name,
      size: stat.size,
      contentType: TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
      path,
      mtimeMs: stat.mtimeMs,
    };
    this.byHandle.set(handle, entry);
    return this.describe(handle);
  }

  describe(handle: string): AttachmentInfo {
    const { path: _path, mtimeMs: _m, ...info } = this.resolve(handle);
    return info;
  }

  /** Main-only: the file behind a handle, checked to be unchanged since it was picked. */
  resolve(handle: string): RegisteredAttachment {
    const entry = this.byHandle.get(handle);
    if (!entry) {
      throw new MailwrightError('INVALID_INPUT', 'The message refers to an attachment that was never picked.', 'Attach the file again.');
    }
    return entry;
  }

  /** Re-check the file right before building: a file that vanished or changed since it was picked is refused. */
  async verify(handle: string): Promise<RegisteredAttachment> {
    const entry = this.resolve(handle);
    let stat;
    try {
      stat = await fs.stat(entry.path);
    } catch (err) {
      throw unreadable(entry.name, err);
    }
    if (stat.size !== entry.size || stat.mtimeMs !== entry.mtimeMs) {
      throw unreadable(entry.name, new Error('it changed after it was attached'));
    }
    return entry;
  }

  /** Main-only: what to keep on disk so a saved draft can get its files back after a restart. */
  remember(handles: string[]): RememberedFile[] {
    return handles.map((handle) => {
      const { path, name } = this.resolve(handle);
      return { handle, path, name };
    });
  }

  /**
   * Give remembered files live handles again: the same handle within this run, a new one after
   * a restart. A file that is gone is reported by name, never silently dropped.
   */
  async restore(files: RememberedFile[]): Promise<{ attachments: AttachmentInfo[]; missing: string[] }> {
    const attachments: AttachmentInfo[] = [];
    const missing: string[] = [];
    for (const file of files) {
      if (this.byHandle.get(file.handle)?.path === file.path) {
        attachments.push(this.describe(file.handle));
        continue;
      }
      try {
        attachments.push(await this.register(file.path));
      } catch {
        missing.push(file.name);
      }
    }
    return { attachments, missing };
  }
}

/** An attachment as a saved draft remembers it (main-only: it holds the path). */
export interface RememberedFile {
  handle: string;
  path: string;
  name: string;
}
