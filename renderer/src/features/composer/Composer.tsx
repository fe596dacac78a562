import { EditorContent, useEditor } from '@tiptap/react';
import Image from '@tiptap/extension-image';
import StarterKit from '@tiptap/starter-kit';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account } from '../../../../shared/model/account';
import type { ComposerCommand } from '../../../../shared/model/app-command';
import type { DeliveredPreview } from '../../../../shared/model/message-view';
import type { AttachmentInfo, DraftBack, SavedDraft } from '../../../../shared/model/draft';
import type { OutboxItem } from '../../../../shared/model/outbox';
import { DEFAULT_SIZE_LIMIT, estimateMessageSize } from '../../../../shared/model/message-size';
import { preSendChecks, type PreSendIssue } from '../../../../shared/model/pre-send-checks';
import { checkMailbox } from '../../../../shared/model/mailbox';
import { mailboxParts, splitRecipients } from '../../../../shared/model/recipients';
import { textToHtml } from '../../../../shared/model/text-to-html';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { PaperclipIcon } from '../../lib/icons';
import { sanitizePastedHtml } from '../../lib/sanitize-paste';
import { AttachmentList, readDataUrl, useAttachmentPicker } from './Attachments';
import { DeliveredPreviewDialog } from './DeliveredPreviewDialog';
import { useDropZones } from './DropZones';
import { SignatureBlock } from './SignatureBlock';
import { DraftsMenu } from './DraftsMenu';
import { PreSendDialog, type Fix } from './PreSendDialog';
import { SendLater } from './SendLater';
import { RecipientField } from './RecipientField';
import { TextColor } from './text-color';
import { Toolbar } from './Toolbar';
import { useDraftAutosave } from './useDraftAutosave';

/** A message handed to the composer from elsewhere (undo, edit, re-open); `key` makes each hand-over new. */
export interface Incoming {
  back: DraftBack;
  key: number;
  note: string;
}

interface Props {
  accounts: Account[];
  undoSeconds: number;
  incoming?: Incoming;
  /** From the menu, a shortcut or a mailto: link; `key` makes each one new. */
  command?: { command: ComposerCommand; key: number };
  /** The first composer of a session brings back the newest unsent draft. */
  restoreNewest?: boolean;
  /** A saved draft to open at once (a mailto: link, a draft picked elsewhere). */
  openDraftId?: string;
  /** What the app shows for this composer among the open ones. */
  onInfo?: (info: ComposerInfo) => void;
  onNew?: () => void;
  /** Shows the draft where it is already open and says so; true means this composer need not open it. */
  showOpenDraft?: (draftId: string) => boolean;
  onQueued: (item: OutboxItem) => void;
}

export interface ComposerInfo {
  title: string;
  empty: boolean;
  draftId?: string;
}

type Format = 'html' | 'plain';

/** From this many blocks (paragraphs, headings, lists…) the body is long: blocks out of sight are not laid out. */
const LONG_BODY_BLOCKS = 200;

/** How long after the last keystroke the attachment bar's size estimate is made again. */
const ESTIMATE_DELAY_MS = 400;

/** Images pasted or dropped into the text are embedded; larger ones are better sent as attachments. */
const MAX_INLINE_IMAGE = 5 * 1024 * 1024;
const isInlineImage = (f: File) => /^image\/(png|jpeg|gif|webp)$/.test(f.type) && f.size <= MAX_INLINE_IMAGE;

/** What the composer holds, as a saved draft or a message handed back stores it. */
interface Fields {
  accountId?: string;
  to: string;
  cc: string;
  bcc: string;
  replyTo: string;
  subject: string;
  format: Format;
  html: string;
  text: string;
  signature: boolean;
  attachments: AttachmentInfo[];
}
const EMPTY: Fields = { to: '', cc: '', bcc: '', replyTo: '', subject: '', format: 'html', html: '', text: '', signature: true, attachments: [] };


export function Composer({ accounts, undoSeconds, incoming, command, restoreNewest = false, openDraftId, onInfo, onNew, showOpenDraft, onQueued }: Props) {
  const { t, time, bytes } = useT();
  // Several composers can be open at once: each one's fields have ids of their own.
  const uid = useId();
  const ids = { from: `${uid}from`, to: `${uid}to`, cc: `${uid}cc`, bcc: `${uid}bcc`, replyTo: `${uid}reply-to`, subject: `${uid}subject` };
  const [accountId, setAccountId] = useState('');
  const [to, setTo] = useState('');
  const [cc, setCc] = useState('');
  const [bcc, setBcc] = useState('');
  const [replyTo, setReplyTo] = useState('');
  const [format, setFormat] = useState<Format>('html');
  const [plainText, setPlainText] = useState('');
  const [signature, setSignature] = useState(true);
  const [preview, setPreview] = useState<DeliveredPreview>();
  const [showCopies, setShowCopies] = useState(false);
  const [subject, setSubject] = useState('');
  const [attachments, setAttachments] = useState<AttachmentInfo[]>([]);
  const [error, setError] = useState<ErrorInfo>();
  const [notice, setNotice] = useState<string>();
  const [sending, setSending] = useState(false);
  const [laterOpen, setLaterOpen] = useState(false);
  const [checks, setChecks] = useState<{ issues: PreSendIssue[]; sendAt?: Date }>();
  const [bodyVersion, setBodyVersion] = useState(0);
  const [savedAt, setSavedAt] = useState<string>();

  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'] } }), Image.configure({ allowBase64: true }), TextColor],
    editorProps: {
      attributes: { 'aria-label': t('composer.body'), 'aria-multiline': 'true', role: 'textbox', class: 'editor-body' },
      // Pasted HTML is cleaned before the editor's schema sees it: no scripts, handlers, styles or remote images.
      transformPastedHTML: sanitizePastedHtml,
      // A pasted image (a screenshot) goes into the text; other pasted files are attached.
      handlePaste: (_view, event) => {
        const files = [...(event.clipboardData?.files ?? [])];
        if (!files.length) return false;
        void insertRef.current(files, true);
        return true;
      },
    },
    immediatelyRender: true,
    onUpdate: () => setBodyVersion((v) => v + 1),
  });

  // From follows the default account until the user picks one; a picked account that is removed falls back to the default.
  const [fromPicked, setFromPicked] = useState(false);
  useEffect(() => {
    if (fromPicked && accounts.some((a) => a.id === accountId)) return;
    setAccountId(accounts.find((a) => a.isDefault)?.id ?? accounts[0]?.id ?? '');
  }, [accounts, accountId, fromPicked]);

  const html = () => (format === 'plain' || !editor || editor.isEmpty ? '' : editor.getHTML());
  const bodyText = () => (format === 'plain' ? plainText : (editor?.getText({ blockSeparator: '\n' }) ?? ''));
  /** Nothing written yet: cheap (no serialising of the body), so it can run at every render. */
  const isEmpty = () => !to.trim() && !cc.trim() && !bcc.trim() && !replyTo.trim() && !subject.trim() && !attachments.length && (format === 'plain' ? !plainText.trim() : (editor?.isEmpty ?? true));
  const snapshot = () => (isEmpty() ? undefined : { accountId, to, cc, bcc, replyTo, subject, format, html: html(), text: format === 'plain' ? plainText : '', signature, attachments: attachments.map((a) => ({ handle: a.handle })) });
  const latestSnapshot = useRef(snapshot);
  latestSnapshot.current = snapshot;
  const onSaved = useCallback((at: string) => setSavedAt(at), []);
  const autosave = useDraftAutosave(snapshot, [accountId, to, cc, bcc, replyTo, subject, format, plainText, signature, attachments, bodyVersion], onSaved);

  /** Put a message into the fields (a saved draft, or one handed back from the outbox). */
  const fill = useCallback(
    async (d: Fields) => {
      if (d.accountId && accounts.some((a) => a.id === d.accountId)) {
        setAccountId(d.accountId);
        setFromPicked(true);
      }
      setTo(d.to);
      setCc(d.cc);
      setBcc(d.bcc);
      setReplyTo(d.replyTo);
      setShowCopies(!!(d.cc || d.bcc || d.replyTo));
      setSubject(d.subject);
      setAttachments(d.attachments);
      setFormat(d.format);
      setPlainText(d.text);
      setSignature(d.signature);
      editor?.commands.setContent(d.format === 'html' ? d.html || '' : '', { emitUpdate: false });
      setError(undefined);
    },
    [accounts, editor],
  );

  // On start: reopen the newest unsent draft (after a restart or a crash), and offer the others.
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    if (restored || !editor) return;
    setRestored(true);
    if (!restoreNewest && !openDraftId) return;
    void api()['drafts:list']().then(async (r) => {
      if (!r.ok || !r.value.length) return;
      if (openDraftId) {
        const wanted = r.value.find((d) => d.id === openDraftId);
        return wanted && (await openDraft(wanted));
      }
      // Never over what the user has begun to type meanwhile: the drafts stay in the Drafts menu.
      if (latestSnapshot.current()) return setNotice(t('composer.draftsWaiting', { count: r.value.length }));
      const newest = r.value[0]!;
      // A mailto: link at start may have opened it in another composer already.
      if (showOpenDraft?.(newest.id)) return;
      await autosave.adopt(newest.id);
      await fill({ ...EMPTY, ...newest });
      setSavedAt(newest.updatedAt);
      setNotice(withMissing(t('composer.draftBack', { time: time(newest.updatedAt) }), newest.missing));
    });
  }, [restored, editor, autosave, fill, restoreNewest, openDraftId]);

  /** A notice, followed by the files that must be attached again, if any. */
  const withMissing = (note: string, missing: string[]) => (missing.length ? `${note} ${t('composer.missingFiles', { files: missing.join(', ') })}` : note);

  // A message handed back (undo, edit, re-open as new): it replaces what is here, which is saved first.
  const [seen, setSeen] = useState<number>();
  useEffect(() => {
    if (!incoming || incoming.key === seen || !editor) return;
    setSeen(incoming.key);
    void (async () => {
      await autosave.adopt(undefined);
      const d = incoming.back.draft;
      const infos = await Promise.all(d.attachments.map((a) => api()['attachments:describe']({ handle: a.handle })));
      const plain = !d.html?.trim() && !!d.text;
      await fill({
        accountId: d.accountId,
        to: d.to.join(', '),
        cc: d.cc.join(', '),
        bcc: d.bcc.join(', '),
        replyTo: d.replyTo ?? '',
        subject: d.subject,
        format: plain ? 'plain' : 'html',
        html: d.html ?? '',
        text: plain ? (d.text ?? '') : '',
        signature: !!d.signature,
        attachments: infos.flatMap((r) => (r.ok ? [r.value] : [])),
      });
      const missing = [...incoming.back.missing, ...infos.flatMap((r) => (r.ok ? [] : [t('composer.anAttachment')]))];
      setNotice(withMissing(incoming.note, missing));
      setSavedAt(undefined); // saved as a new draft a moment later, like any change
    })();
  }, [incoming, seen, editor, autosave, fill]);

  const { pick, addFiles, fileInput } = useAttachmentPicker({ onAdd: (added) => setAttachments((list) => [...list, ...added]), onError: setError });

  /** Files dropped or pasted: images into the text when asked (and the format allows), the rest attached. */
  const insertFiles = async (files: File[], inline: boolean) => {
    const images = inline && format === 'html' ? files.filter(isInlineImage) : [];
    for (const image of images) editor?.chain().focus().setImage({ src: await readDataUrl(image), alt: image.name }).run();
    const rest = files.filter((f) => !images.includes(f));
    if (inline && rest.some((f) => f.type.startsWith('image/'))) setNotice(format === 'plain' ? t('composer.imagesAttached.plain') : t('composer.imagesAttached.large', { size: bytes(MAX_INLINE_IMAGE) }));
    if (rest.length) await addFiles(rest);
  };
  const insertRef = useRef(insertFiles);
  insertRef.current = insertFiles;
  const drop = useDropZones((files, inline) => void insertFiles(files, inline));

  // Commands from the menu, a shortcut or a mailto: link, each carried out once.
  const [doneCommand, setDoneCommand] = useState<number>();
  useEffect(() => {
    if (!command || command.key === doneCommand || !editor) return;
    setDoneCommand(command.key);
    const c = command.command;
    if (c.kind === 'attach') void pick();
    else if (c.kind === 'send') void send();
    else if (c.kind === 'send-later') setLaterOpen(true);
  });

  /** HTML ↔ plain text: plain shows the text exactly as main will generate it; back to HTML keeps paragraphs and line breaks. */
  const switchFormat = async (next: Format) => {
    if (next === format) return;
    if (next === 'plain') {
      const source = html();
      const r = source ? await api()['message:to-text']({ html: source }) : undefined;
      if (r && !r.ok) return setError(r.error);
      setPlainText(r?.value.text ?? '');
    } else editor?.commands.setContent(plainText.trim() ? textToHtml(plainText) : '', { emitUpdate: false });
    setFormat(next);
  };

  const openDraft = async (d: SavedDraft) => {
    if (showOpenDraft?.(d.id)) return;
    await autosave.adopt(d.id);
    await fill({ ...EMPTY, ...d });
    setSavedAt(d.updatedAt);
    setNotice(undefined);
  };

  // The app lists open messages by subject, and knows which draft each one is.
  const empty = isEmpty();
  useEffect(() => onInfo?.({ title: subject.trim(), empty, draftId: autosave.currentId() }), [subject, empty, savedAt]);

  const from = accounts.find((a) => a.id === accountId);
  const sizeLimit = from?.lastTest?.maxSize ?? DEFAULT_SIZE_LIMIT;
  const estimate = () => estimateMessageSize({ html: html(), text: bodyText(), attachmentSizes: attachments.map((a) => a.size) });
  const latestEstimate = useRef(estimate);
  latestEstimate.current = estimate;
  // Serialising the body is not free (a 1 MB body: tens of ms): at once when the files change, but
  // for the body only after a pause in typing, never at every keystroke. Sending estimates afresh.
  const [encodedTotal, setEncodedTotal] = useState(0);
  const estimatedFiles = useRef(attachments);
  useEffect(() => {
    const filesChanged = estimatedFiles.current !== attachments;
    estimatedFiles.current = attachments;
    if (!attachments.length) return setEncodedTotal(0);
    if (filesChanged) return setEncodedTotal(latestEstimate.current());
    const timer = setTimeout(() => setEncodedTotal(latestEstimate.current()), ESTIMATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [attachments, bodyVersion, format, plainText]);

  const fix = (what: Fix) => {
    setChecks(undefined);
    if (what === 'recipients') document.getElementById(ids.to)?.focus();
    else if (what === 'subject') document.getElementById(ids.subject)?.focus();
    else if (what === 'attach') void pick();
    else if (what === 'bcc') {
      // Everyone moves to Bcc, so no recipient learns the others' addresses.
      setBcc([to, cc, bcc].flatMap(splitRecipients).join(', '));
      setTo('');
      setCc('');
      setShowCopies(true);
    }
  };

  /** The message as main builds it: what is sent, and what "preview as delivered" shows. */
  const message = () => ({
    accountId,
    to: splitRecipients(to),
    cc: splitRecipients(cc),
    bcc: splitRecipients(bcc),
    ...(replyTo.trim() ? { replyTo: replyTo.trim() } : {}),
    subject,
    ...(format === 'plain' ? { text: plainText } : { html: html() }),
    signature: signature && !!from?.signature,
    attachments: attachments.map((a) => ({ handle: a.handle })),
  });

  const showPreview = async () => {
    setError(undefined);
    const r = await api()['message:preview'](message());
    if (r.ok) setPreview(r.value);
    else setError(r.error);
  };

  // State updates land on the next render: two sends in one tick (a shortcut and the menu's
  // accelerator, a double click) would both see `sending` false. The ref sees the first at once.
  const inFlight = useRef(false);
  const send = async (sendAt?: Date, checked = false) => {
    if (inFlight.current || !editor) return;
    if (!checked) {
      const recipients = [to, cc, bcc].flatMap(splitRecipients).map(mailboxParts);
      const visibleCount = [to, cc].flatMap(splitRecipients).length;
      const invalid = [...[to, cc, bcc].flatMap(splitRecipients), ...(replyTo.trim() ? [replyTo.trim()] : [])].filter((r) => !checkMailbox(r).ok);
      const issues = preSendChecks({ recipients, invalid, visibleCount, subject, text: bodyText(), attachmentCount: attachments.length, estimatedSize: estimate(), sizeLimit });
      if (issues.length) return setChecks({ issues, sendAt });
    }
    setChecks(undefined);
    setError(undefined);
    inFlight.current = true;
    setSending(true);
    try {
      const r = await api()['outbox:enqueue']({ ...message(), options: sendAt ? { sendAt: sendAt.toISOString() } : { undoSeconds: undoSeconds as 0 | 5 | 10 | 20 | 30 } });
      if (!r.ok) return setError(r.error);
      setLaterOpen(false);
      await autosave.discard();
      await fill(EMPTY);
      setNotice(undefined);
      setSavedAt(undefined);
      onQueued(r.value);
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <section className="composer" aria-label={t('composer.title')} onKeyDown={onKeyDown}>
      <header className="view-header">
        <h1>{t('composer.title')}</h1>
        <span className="muted small" aria-live="polite">
          {savedAt ? t('composer.draftSaved', { time: time(savedAt) }) : ''}
        </span>
        <div className="view-actions">
          {onNew && (
            <button type="button" className="btn btn-small" onClick={onNew} title={t('composer.newTitle')}>
              + {t('composer.new')}
            </button>
          )}
          <DraftsMenu currentId={autosave.currentId} onOpen={(d) => void openDraft(d)} />
        </div>
      </header>
      {notice && (
        <div className="notice" role="status">
          {notice}
          <button type="button" className="btn btn-quiet btn-small" onClick={() => setNotice(undefined)}>
            {t('composer.dismiss')}
          </button>
        </div>
      )}
      <div className="card composer-card" {...drop.area}>
        {drop.overlay}
        <div className="composer-fields">
          <div className="field-row">
            <label htmlFor={ids.from}>{t('composer.from')}</label>
            <select
              id={ids.from}
              value={accountId}
              onChange={(e) => {
                setAccountId(e.target.value);
                setFromPicked(true);
              }}
            >
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {t('composer.fromOption', { sender: a.displayName ? `${a.displayName} <${a.email}>` : a.email, account: a.name })}
                </option>
              ))}
            </select>
          </div>
          <div className="field-row">
            <label htmlFor={ids.to}>{t('composer.to')}</label>
            <RecipientField id={ids.to} label={t('composer.to')} value={to} onChange={setTo} placeholder={t('composer.toPlaceholder')} />
            {!showCopies && (
              <button type="button" className="btn btn-quiet btn-small" onClick={() => setShowCopies(true)}>
                {t('composer.showCopies')}
              </button>
            )}
          </div>
          {showCopies && (
            <>
              <div className="field-row">
                <label htmlFor={ids.cc}>{t('composer.cc')}</label>
                <RecipientField id={ids.cc} label={t('composer.cc')} value={cc} onChange={setCc} />
              </div>
              <div className="field-row">
                <label htmlFor={ids.bcc}>{t('composer.bcc')}</label>
                <RecipientField id={ids.bcc} label={t('composer.bcc')} value={bcc} onChange={setBcc} />
              </div>
              <div className="field-row">
                <label htmlFor={ids.replyTo}>{t('composer.replyTo')}</label>
                <RecipientField id={ids.replyTo} label={t('composer.replyTo')} value={replyTo} onChange={setReplyTo} single />
              </div>
            </>
          )}
          <div className="field-row">
            <label htmlFor={ids.subject}>{t('composer.subject')}</label>
            <input id={ids.subject} value={subject} onChange={(e) => setSubject(e.target.value)} autoComplete="off" />
          </div>
        </div>
        {editor && format === 'html' && <Toolbar editor={editor} />}
        <div hidden={format !== 'html'}>
          {/* A long body (a pasted report, a long thread): the browser skips laying out and painting the blocks out of sight (.editor-long in styles.css). */}
          <EditorContent editor={editor} className={(editor?.state.doc.childCount ?? 0) > LONG_BODY_BLOCKS ? 'editor editor-long' : 'editor'} />
        </div>
        {format === 'plain' && <textarea className="editor plain-body" aria-label={t('composer.body')} value={plainText} onChange={(e) => setPlainText(e.target.value)} spellCheck />}
        <SignatureBlock account={from} format={format} included={signature} onIncluded={setSignature} />
        <AttachmentList items={attachments} encodedTotal={encodedTotal} sizeLimit={sizeLimit} onRemove={(h) => setAttachments((list) => list.filter((a) => a.handle !== h))} />
        {checks && <PreSendDialog issues={checks.issues} sizeLimit={sizeLimit} onFix={fix} onSendAnyway={() => void send(checks.sendAt, true)} onClose={() => setChecks(undefined)} />}
        {error && <ErrorBox error={error} />}
        {laterOpen && <SendLater onPick={(at) => void send(at)} onClose={() => setLaterOpen(false)} />}
        {preview && <DeliveredPreviewDialog preview={preview} onClose={() => setPreview(undefined)} />}
        <footer className="composer-actions">
          {fileInput}
          <button type="button" className="btn" onClick={() => void pick()}>
            <PaperclipIcon /> {t('composer.attach')}
          </button>
          <select aria-label={t('composer.format')} value={format} onChange={(e) => void switchFormat(e.target.value as Format)} title={t('composer.format.help')}>
            <option value="html">{t('composer.format.html')}</option>
            <option value="plain">{t('composer.format.plain')}</option>
          </select>
          <div className="composer-send">
            <button type="button" className="btn" onClick={() => void showPreview()} disabled={!accountId}>
              {t('preview.delivered')}
            </button>
            <button type="button" className="btn" onClick={() => setLaterOpen((o) => !o)} aria-expanded={laterOpen} disabled={sending || !accountId}>
              {t('composer.sendLater')}
            </button>
            <button type="button" className="btn btn-primary" onClick={() => void send()} disabled={sending || !accountId} title={t('composer.sendTitle')}>
              {sending ? t('composer.sending') : t('composer.send')}
            </button>
          </div>
          {from?.kind === 'sandbox' && <p className="muted small composer-note">{t('composer.sandboxNote')}</p>}
        </footer>
      </div>
    </section>
  );
}
