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
