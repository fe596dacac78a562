import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, extname } from 'node:path';
import type { AttachmentInfo } from '../../../shared/model/draft';
import { phrase } from '../../../shared/i18n/errors/phrase';
import { MailwrightError, systemWords } from '../errors';
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

/** Why a file cannot be read, named without its path: paths stay in main, the renderer only knows names. */
type Unreadable = 'gone' | 'denied' | 'folder' | 'notFile' | 'changed';
const BY_CODE: Record<string, Unreadable> = { ENOENT: 'gone', ENOTDIR: 'gone', EACCES: 'denied', EPERM: 'denied', EISDIR: 'folder' };

/** An attachment that cannot be read: for a reason of ours, or an error of the system (its code, or its words when it has none). */
export const unreadable = (name: string, cause?: unknown, reason?: Unreadable) => {
  const errno = (cause as NodeJS.ErrnoException | undefined)?.code;
  const known = reason ?? (errno ? BY_CODE[errno] : undefined);
  const quote = known || cause === undefined ? undefined : (errno ?? systemWords(cause));
  return new MailwrightError(
    'ATTACHMENT_UNREADABLE',
    { message: phrase(known ? `err.attachment.${known}` : 'err.attachment.unreadable', { name }), hint: phrase('err.attachment.unreadable.hint'), ...(quote ? { quote } : {}) },
    { cause },
  );
};

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
    if (!stat.isFile()) throw unreadable(name, undefined, 'notFile');
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
      throw new MailwrightError('INVALID_INPUT', { message: phrase('err.attachment.neverPicked'), hint: phrase('err.input.attachment.hint') });
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
      throw unreadable(entry.name, undefined, 'changed');
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
