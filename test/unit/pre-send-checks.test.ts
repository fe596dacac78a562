import { describe, expect, it } from 'vitest';
import { base64Size, DEFAULT_SIZE_LIMIT, estimateMessageSize } from '../../shared/model/message-size';
import { greetedName, mentionedAttachment, preSendChecks, type PreSendInput } from '../../shared/model/pre-send-checks';

const bob = { name: 'Bob Stone', address: 'bob@example.test' };
const base: PreSendInput = { recipients: [bob], subject: 'Numbers', text: 'Hi Bob,\n\nHere they are.', attachmentCount: 0, estimatedSize: 10_000 };
const ids = (m: Partial<PreSendInput>) => preSendChecks({ ...base, ...m }).map((i) => i.id);

describe('pre-send checks', () => {
  it('a complete message passes every check', () => {
    expect(ids({})).toEqual([]);
  });

  it('more than 15 addresses in To and Cc suggests Bcc; 15 do not', () => {
    const many = Array.from({ length: 16 }, (_, i) => ({ name: '', address: `p${i}@example.test` }));
    expect(preSendChecks({ ...base, text: 'Hello everyone', recipients: many, visibleCount: 16 })).toEqual([{ id: 'many-visible-recipients', blocking: false, detail: '16' }]);
    expect(ids({ text: 'Hello everyone', recipients: many, visibleCount: 15 })).toEqual([]);
  });

  it('a recipient that is not a valid address blocks, naming it; valid ones never do', () => {
    expect(preSendChecks({ ...base, invalid: ['bob@', 'sam smith@example.test'] })).toEqual([{ id: 'invalid-recipients', blocking: true, detail: 'bob@, sam smith@example.test' }]);
    expect(ids({ invalid: [] })).toEqual([]);
  });

  it('Liquid left from a template only asks, naming the first few; braces that are not Liquid pass', () => {
    expect(preSendChecks({ ...base, subject: 'Pedido {{ order }}', text: 'Hola {{name}}, {{ order }} {% if x %}ok{% endif %} {{ a }}' })).toEqual([
      { id: 'template-variables', blocking: false, detail: '{{ order }}, {{name}}, {% if x %}' },
    ]);
    expect(ids({ text: 'A set {a, b} and JSON {"k": 1} and a single { brace }.' })).toEqual([]);
  });

  it('no recipients blocks; an empty subject only asks', () => {
    expect(preSendChecks({ ...base, recipients: [] })).toEqual([{ id: 'no-recipients', blocking: true }]);
    expect(preSendChecks({ ...base, subject: '   ' })).toEqual([{ id: 'empty-subject', blocking: false }]);
  });

  it.each([
    ['Please find the report attached.', 'attached'],
    ['I am attaching the file', 'attaching'],
    ['Отправляю отчёт во вложении.', 'вложении'],
    ['Прилагаю договор.', 'прилагаю'],
    ['Te envío el archivo adjunto.', 'adjunto'],
    ['Adjuntamos la factura', 'adjuntamos'],
  ])('notices an attachment mentioned but missing: %s', (text, word) => {
    expect(mentionedAttachment(text)).toBe(word);
    expect(ids({ text })).toEqual(['attachment-mentioned']);
    expect(ids({ text, attachmentCount: 1 })).toEqual([]);
  });

  it.each([
    'The housing policy: detached houses only.', // "attach" inside another word is not a mention
    'Nothing to see here.',
    '> Please find it attached\n(quoted from the earlier mail)',
    'Thanks!\n-- \nAna — see attached disclaimer',
  ])('does not fire on text that mentions no attachment of this message: %s', (text) => {
    expect(ids({ text })).not.toContain('attachment-mentioned');
  });

  it('a greeting naming someone who is not a recipient is questioned', () => {
    expect(greetedName('Hi Carol,\nhow are you')).toBe('Carol');
    expect(preSendChecks({ ...base, text: 'Hi Carol,\n\nHere they are.' })).toEqual([{ id: 'greeting-not-a-recipient', blocking: false, detail: 'Carol' }]);
    expect(ids({ text: 'Здравствуйте, Ольга!\nВот отчёт.' })).toEqual(['greeting-not-a-recipient']);
    expect(ids({ text: 'Hola Lucía, aquí va.' })).toEqual(['greeting-not-a-recipient']);
  });

  it.each([
    'Hi Bob, here.', // display name
    'Hello bob — lowercase is no name', // not capitalised: not a name
    'Hi all,', 'Dear Sir,', 'Hola a todos', 'Привет всем!', 'Hi there', 'Good morning team,',
    'Thanks for the numbers.', // no greeting at all
  ])('does not question a greeting that fits: %s', (text) => {
    expect(ids({ text })).not.toContain('greeting-not-a-recipient');
  });

  it('matches names by address, short forms and accents', () => {
    const to = [{ name: '', address: 'jose.garcia@example.test' }, { name: 'Alexandra Ivanova', address: 'ai@example.test' }];
    expect(ids({ recipients: to, text: 'Hola José,' })).toEqual([]);
    expect(ids({ recipients: to, text: 'Hi Alex,' })).toEqual([]);
    expect(ids({ recipients: to, text: 'Hi Al,' })).toEqual(['greeting-not-a-recipient']); // two letters are no evidence
  });

  it('a message larger than the server allows is flagged, against SIZE or 25 MB', () => {
    expect(ids({ estimatedSize: 11_000_000, sizeLimit: 10_485_760 })).toEqual(['too-large']);
    expect(ids({ estimatedSize: 11_000_000 })).toEqual([]);
    expect(ids({ estimatedSize: DEFAULT_SIZE_LIMIT + 1 })).toEqual(['too-large']);
  });
});

describe('encoded size', () => {
  it('base64 adds a third plus line breaks', () => {
    expect(base64Size(0)).toBe(0);
    expect(base64Size(3)).toBe(4 + 2);
    expect(base64Size(57)).toBe(76 + 2); // exactly one line
    expect(base64Size(58)).toBe(80 + 4);
    expect(base64Size(3_000_000) / 3_000_000).toBeCloseTo(1.3684, 3);
  });

  it('a message estimate is never below what nodemailer builds for the same parts', async () => {
    const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
    const file = Buffer.alloc(250_000, 7);
    const html = '<p>Привет, ' + 'x'.repeat(5000) + '</p>';
    const text = 'Привет, ' + 'x'.repeat(5000);
    const built: Buffer = await new MailComposer({ from: 'a@x.test', to: 'b@x.test', subject: 's', html, text, attachments: [{ filename: 'f.bin', content: file }] }).compile().build();
    const estimate = estimateMessageSize({ html, text, attachmentSizes: [file.length] });
    expect(estimate).toBeGreaterThanOrEqual(built.length);
    expect(estimate).toBeLessThan(built.length * 1.1);
  });
});
