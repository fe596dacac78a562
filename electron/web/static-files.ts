import { createReadStream, promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** Serve a file of the built renderer; nothing outside `root` is reachable. Returns false when there is no such file. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, headers: Record<string, string>): Promise<boolean> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    return false; // malformed percent-encoding names no file (it was a 500)
  }
  const clean = normalize(decoded).replace(/^([/\\])+/, '');
  const path = join(root, clean);
  if (!path.startsWith(root + sep)) return false;
  const stat = await fs.stat(path).catch(() => undefined);
  if (!stat?.isFile()) return false;
  res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream', 'Content-Length': stat.size });
  // A file removed under us (a rebuild while serving) ends this response, not the server.
  void pipeline(createReadStream(path), res).catch(() => res.destroy());
  return true;
}
