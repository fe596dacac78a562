// What of a file's name may reach a recipient as an attachment's name.

/**
 * The name without control characters (CR, LF, DEL…: Linux allows them in names; MIME would
 * encode them, but the recipient would get them as they are) and without bidirectional overrides
 * and isolates, which make "invoice‮fdp.exe" read as "invoiceexe.pdf" (found in review). Other
 * format characters stay: ZWJ and ZWNJ belong in emoji and in Persian or Indic names.
 */
export function withoutControls(name: string): string {
  return name.replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, '');
}

/** The most a file name may take on the file systems we run on (ext4, APFS, NTFS: 255 bytes or units). */
export const MAX_NAME_BYTES = 255;

/**
 * A file name short enough for the disk (255 bytes of UTF-8), cut between whole characters (an
 * emoji of several code points stays whole or goes), keeping its extension. 126 Cyrillic letters
 * are already too long; a cut at a number of characters let them through (found in review).
 */
export function fitFileName(name: string, maxBytes = MAX_NAME_BYTES): string {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  if (bytes(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && bytes(name.slice(dot)) <= 32 ? name.slice(dot) : '';
  let kept = '';
  for (const { segment } of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(ext ? name.slice(0, dot) : name)) {
    if (bytes(kept + segment + ext) > maxBytes) break;
    kept += segment;
  }
  return kept + ext;
}
