/**
 * Split what a person typed or pasted into a recipient field ("A <a@x>, b@y; c@z") into one
 * string per mailbox. Commas and semicolons inside quotes or angle brackets do not split.
 * Main parses each piece strictly; this only finds the pieces.
 */
export function splitRecipients(text: string): string[] {
  const { complete, rest } = splitTyped(text);
  return rest.trim() ? [...complete, rest.trim()] : complete;
}

/**
 * The same split for text being typed: the pieces a separator has closed, and the one still open
 * (so typing "a@x, b" makes a@x a recipient and leaves "b" to finish). The open one keeps its
 * trailing space: the person is in the middle of typing "Jane Doe".
 */
export function splitTyped(text: string): { complete: string[]; rest: string; closed: boolean } {
  const complete: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') angle++;
    else if (!quoted && ch === '>') angle = Math.max(0, angle - 1);
    if ((ch === ',' || ch === ';' || ch === '\n') && !quoted && angle === 0) {
      if (current.trim()) complete.push(current.trim());
      current = '';
    } else current += ch;
  }
  return { complete, rest: current.trimStart(), closed: !quoted && angle === 0 };
}

/**
 * Whether every quote and angle bracket in a piece is closed. Only such a piece can stand between
 * commas as a recipient: '"Doe' followed by ", x" would swallow what comes after it.
 */
export const isClosed = (text: string) => splitTyped(text).closed;

/** Name and address of one typed mailbox, leniently (for checks and chips; main parses strictly). */
export function mailboxParts(text: string): { name: string; address: string } {
  const angle = /^(.*)<([^<>]*)>\s*$/.exec(text.trim());
  if (!angle) return { name: '', address: text.trim() };
  return { name: angle[1]!.trim().replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1'), address: angle[2]!.trim() };
}
