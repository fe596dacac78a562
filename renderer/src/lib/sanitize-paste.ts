import DOMPurify, { type DOMPurify as Purifier } from 'dompurify';

// What survives a paste from Word, Google Docs or a web page: structure (paragraphs, headings,
// lists, quotes, tables, emphasis, links), never scripts, event handlers, styles that break mail
// clients, forms, frames, or remote images (the composer must not fetch anything).
const ALLOWED_TAGS = ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'code', 'pre', 'a', 'ul', 'ol', 'li', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'sub', 'sup', 'span', 'div', 'img'];
const ALLOWED_ATTR = ['href', 'title', 'alt', 'src', 'colspan', 'rowspan'];
/** Links: web and mail only. Images: only embedded data (cid: once attached); http(s) images are dropped below. */
const SAFE_URI = /^(?:https?:|mailto:|cid:|data:image\/(?:png|jpeg|gif|webp);base64,)/i;

let configured: Purifier | undefined;

function purifier(): Purifier {
  if (configured) return configured;
  const p = DOMPurify(window);
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'IMG') {
      const src = node.getAttribute('src') ?? '';
      // A remote image would be fetched by the composer (a tracking pixel, an IP leak): keep its alt text only.
      if (!/^(?:data:image\/|cid:)/i.test(src)) node.replaceWith(node.ownerDocument.createTextNode(node.getAttribute('alt') ?? ''));
    }
    if (node.nodeName === 'A' && node.getAttribute('href') && !SAFE_URI.test(node.getAttribute('href')!)) node.removeAttribute('href');
  });
  configured = p;
  return p;
}

/** Clean pasted HTML; DOMPurify is the last step before the editor's own schema. */
export function sanitizePastedHtml(html: string): string {
  return purifier().sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP: SAFE_URI,
    FORBID_TAGS: ['style', 'script', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'meta', 'link', 'base', 'svg', 'math'],
    KEEP_CONTENT: true,
  });
}
