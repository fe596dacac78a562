// Plain text into the composer's HTML: the page uses it leaving plain-text mode, main for mailto: bodies.
// No schema library here: the page bundles this file.

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);

/** Plain text as the composer's HTML: blank lines make paragraphs, single line breaks stay. */
export const textToHtml = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
