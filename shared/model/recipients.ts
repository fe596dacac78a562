/**
 * Split what a person typed or pasted into a recipient field ("A <a@x>, b@y; c@z") into one
 * string per mailbox. Commas and semicolons inside quotes or angle brackets do not split.
 * Main parses each piece strictly; this only finds the pieces.
 */
export function splitRecipients(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle++;
    else if (!quoted && ch === '>') angle = Math.max(0, angle - 1);
    if ((ch === ',' || ch === ';' || ch === '\n') && !quoted && angle === 0) {
      if (current.trim()) out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** Name and address of one typed mailbox, leniently (for checks and chips; main parses strictly). */
export function mailboxParts(text: string): { name: string; address: string } {
  const angle = /^(.*)<([^<>]*)>\s*$/.exec(text.trim());
  if (!angle) return { name: '', address: text.trim() };
  return { name: angle[1]!.trim().replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1'), address: angle[2]!.trim() };
}
