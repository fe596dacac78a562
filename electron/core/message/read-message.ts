import type { MessageView } from '../../../shared/model/message-view';

/**
 * Parse raw RFC 5322 bytes for viewing. Headers are decoded for reading (RFC 2047 encoded-words
 * become text) while the raw source keeps the encoding; inline (cid:) images are turned into data:
 * URLs in the HTML by mailparser, so the viewer shows them without fetching anything.
 */
export async function readMessage(raw: Buffer): Promise<MessageView & { subject: string; from: string; visible: string[] }> {
  // mailparser is loaded on first use: it was a tenth of every CLI command's start-up (bench/attachment.ts).
  const [{ simpleParser }, { default: libmime }] = await Promise.all([import('mailparser'), import('libmime')]);
  const parsed = await simpleParser(raw);
  const addresses = (field: typeof parsed.to) => (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
  const view: MessageView & { subject: string; from: string; visible: string[] } = {
    subject: parsed.subject ?? '',
    from: parsed.from?.text ?? '',
    // The recipients the message names (To, Cc): the envelope's others are its blind copies.
    visible: [...addresses(parsed.to), ...addresses(parsed.cc)],
    headers: parsed.headerLines.map((h) => ({ key: h.key, value: libmime.decodeWords(h.line.slice(h.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim()) })),
    attachments: parsed.attachments.map((a) => {
      const info: MessageView['attachments'][number] = { contentType: a.contentType, size: a.size, inline: a.contentDisposition === 'inline' || !!a.related };
      if (a.filename) info.filename = a.filename;
      if (a.contentId) info.contentId = a.contentId;
      return info;
    }),
    raw: raw.toString('utf8'),
  };
  if (typeof parsed.html === 'string') view.html = parsed.html;
  if (parsed.text) view.text = parsed.text;
  return view;
}
