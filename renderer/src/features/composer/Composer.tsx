import { EditorContent } from '@tiptap/react';
import { useCallback, useEffect, useEffectEvent, useId, useMemo, useReducer, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account } from '../../../../shared/model/account';
import type { ComposerCommand } from '../../../../shared/model/app-command';
import type { DeliveredPreview } from '../../../../shared/model/message-view';
import type { DraftBack, SavedDraft } from '../../../../shared/model/draft';
import type { OutboxItem } from '../../../../shared/model/outbox';
import { DEFAULT_SIZE_LIMIT, estimateMessageSize } from '../../../../shared/model/message-size';
import { templateVariables, type PreSendIssue } from '../../../../shared/model/pre-send-checks';
import { textToHtml } from '../../../../shared/model/text-to-html';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { useLatest } from '../../lib/useLatest';
import { AttachmentList, readDataUrl, useAttachmentPicker } from './Attachments';
import { ComposerActions } from './ComposerActions';
import { ComposerFields } from './ComposerFields';
import { DeliveredPreviewDialog } from './DeliveredPreviewDialog';
import { useDropZones } from './DropZones';
import { DraftsMenu } from './DraftsMenu';
import { TemplatesMenu } from './TemplatesMenu';
import type { Template } from '../../../../shared/model/template';
import { draftOf, EMPTY_FIELDS, fieldsReducer, fromAccount, INITIAL_STATE, isEmptyMessage, issuesBeforeSending, loadBack, loadSaved, messageOf, type Format, type Loaded } from './fields';
import { PreSendDialog, type Fix } from './PreSendDialog';
import { SendLater } from './SendLater';
import { SignatureBlock } from './SignatureBlock';
import { Toolbar } from './Toolbar';
import { useDraftAutosave } from './useDraftAutosave';
import { useComposerFocus } from './useComposerFocus';
import { useMessageEditor } from './useMessageEditor';

// One message being written. Its fields (fields.ts, ComposerFields), editor (useMessageEditor),
// keyboard (useComposerFocus) and action row (ComposerActions) are modules of their own; what is
// left here ties them to drafts, the outbox and the app's commands.

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
  /** Put the keyboard in the first field still to fill; a new value asks again. */
  focusRequest?: number;
  /** The first composer of a session brings back the newest unsent draft. */
  restoreNewest?: boolean;
  /** A saved draft to open at once (a mailto: link, a draft picked elsewhere). */
  openDraftId?: string;
  /** What the app shows for this composer among the open ones. */
  onInfo?: (info: ComposerInfo) => void;
  onNew?: () => void;
  /** Shows the Accounts view: offered while only the Sandbox is there. */
  onAddAccount?: () => void;
  /** Shows the draft where it is already open and says so; true means this composer need not open it. */
  showOpenDraft?: (draftId: string) => boolean;
  onQueued: (item: OutboxItem) => void;
}

export interface ComposerInfo {
  title: string;
  empty: boolean;
  draftId?: string;
}

/** From this many blocks (paragraphs, headings, lists…) the body is long: blocks out of sight are not laid out. */
const LONG_BODY_BLOCKS = 200;

/** How long after the last keystroke the attachment bar's size estimate is made again. */
const ESTIMATE_DELAY_MS = 400;

/** Images pasted or dropped into the text are embedded; larger ones are better sent as attachments. */
const MAX_INLINE_IMAGE = 5_000_000;
const isInlineImage = (f: File) => /^image\/(png|jpeg|gif|webp)$/.test(f.type) && f.size <= MAX_INLINE_IMAGE;

export function Composer({ accounts, undoSeconds, incoming, command, focusRequest, restoreNewest = false, openDraftId, onInfo, onNew, onAddAccount, showOpenDraft, onQueued }: Props) {
  const { t, time, bytes } = useT();
  // Several composers can be open at once: each one's fields have ids of their own.
  const uid = useId();
  const ids = { from: `${uid}from`, to: `${uid}to`, cc: `${uid}cc`, bcc: `${uid}bcc`, replyTo: `${uid}reply-to`, subject: `${uid}subject` };
  const [state, dispatch] = useReducer(fieldsReducer, INITIAL_STATE);
  const f = state.fields;
  const from = fromAccount(f, accounts);
  const [preview, setPreview] = useState<DeliveredPreview>();
  const [error, setError] = useState<ErrorInfo>();
  const [notice, setNotice] = useState<string>();
  const [sending, setSending] = useState(false);
  const [laterOpen, setLaterOpen] = useState(false);
  const [checks, setChecks] = useState<{ issues: PreSendIssue[]; sendAt?: Date }>();
  const [savedAt, setSavedAt] = useState<string>();
  const { editor, bodyVersion } = useMessageEditor(t('composer.body'), (files) => void insertFiles(files, true));
  const focus = useComposerFocus({ ids, fields: f, editor, focusRequest });

  const html = () => (f.format === 'plain' || !editor || editor.isEmpty ? '' : editor.getHTML());
  const bodyText = () => (f.format === 'plain' ? f.text : (editor?.getText({ blockSeparator: '\n' }) ?? ''));
  const empty = isEmptyMessage(f, editor?.isEmpty ?? true);
  const onSaved = useCallback((at: string) => setSavedAt(at), []);
  const content = useMemo(() => ({ f, accountId: from?.id, bodyVersion }), [f, from?.id, bodyVersion]);
  const autosave = useDraftAutosave(() => (isEmptyMessage(f, editor?.isEmpty ?? true) ? undefined : draftOf(f, from?.id ?? '', html())), content, onSaved);

  /** Put a message into the fields (a saved draft, or one handed back from the outbox). */
  const load = ({ fields, html: body }: Loaded) => {
    dispatch({ type: 'load', fields });
    editor?.commands.setContent(body, { emitUpdate: false });
    setError(undefined);
  };

  /** A notice, followed by the files that must be attached again, if any. */
  const withMissing = (note: string, missing: string[]) => (missing.length ? `${note} ${t('composer.missingFiles', { files: missing.join(', ') })}` : note);

  const openDraft = async (d: SavedDraft) => {
    if (showOpenDraft?.(d.id)) return;
    await autosave.adopt(d.id);
    load(loadSaved(d));
    setSavedAt(d.updatedAt);
    setNotice(undefined);
  };

  /** A new message from a saved template: what was here stays a draft of its own. */
  const openTemplate = async (tpl: Template) => {
    await autosave.adopt(undefined);
    const plain = !tpl.html?.trim() && !!tpl.text;
    const accountId = accounts.some((a) => a.id === tpl.accountId) ? tpl.accountId : f.accountId;
    load({ fields: { ...EMPTY_FIELDS, accountId, subject: tpl.subject, format: plain ? 'plain' : 'html', text: plain ? (tpl.text ?? '') : '', attachments: tpl.attachments }, html: plain ? '' : (tpl.html ?? '') });
    focus.afterLoad();
    setNotice(withMissing(t('templates.opened', { name: tpl.name, example: '{{ name }}' }), tpl.missing));
    setSavedAt(undefined);
  };

  /** The message here, saved as a template under a name the user gives (the same name replaces one). */
  const saveAsTemplate = async (name: string) => {
    const body = f.format === 'plain' ? { text: f.text } : { html: html() };
    const r = await api()['templates:save']({ name, accountId: from?.id ?? f.accountId, subject: f.subject, ...body, attachments: f.attachments.map((a) => ({ handle: a.handle })) });
    if (r.ok) setNotice(t('templates.saved', { name: r.value.name }));
    else setError(r.error);
    return r.ok;
  };

  // On start: reopen the newest unsent draft (after a restart or a crash), and offer the others.
  const restore = useEffectEvent(async () => {
    if (!restoreNewest && !openDraftId) return;
    const r = await api()['drafts:list']();
    if (!r.ok || !r.value.length) return;
    if (openDraftId) {
      const wanted = r.value.find((d) => d.id === openDraftId);
      return wanted && (await openDraft(wanted));
    }
    // Never over what the user has begun to type meanwhile: the drafts stay in the Drafts menu.
    if (!isEmptyMessage(fieldsNow.current, editor?.isEmpty ?? true)) return setNotice(t('composer.draftsWaiting', { count: r.value.length }));
    const newest = r.value[0]!;
    // A mailto: link at start may have opened it in another composer already.
    if (showOpenDraft?.(newest.id)) return;
    await autosave.adopt(newest.id);
    load(loadSaved(newest));
    focus.afterLoad();
    setSavedAt(newest.updatedAt);
    setNotice(withMissing(t('composer.draftBack', { time: time(newest.updatedAt) }), newest.missing));
  });
  // The fields as they are when an awaited answer comes back, not as they were when it was asked.
  const fieldsNow = useLatest(f);
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current || !editor) return;
    restored.current = true;
    void restore();
  }, [editor]);

  // A message handed back (undo, edit, re-open as new): it replaces what is here, which is saved first.
  const takeIncoming = useEffectEvent(async (handed: Incoming) => {
    await autosave.adopt(undefined);
    const d = handed.back.draft;
    const infos = await Promise.all(d.attachments.map((a) => api()['attachments:describe']({ handle: a.handle })));
    load(loadBack(d, infos.flatMap((r) => (r.ok ? [r.value] : []))));
    focus.afterLoad();
    const missing = [...handed.back.missing, ...infos.flatMap((r) => (r.ok ? [] : [t('composer.anAttachment')]))];
    setNotice(withMissing(handed.note, missing));
    setSavedAt(undefined); // saved as a new draft a moment later, like any change
  });
  const seenIncoming = useRef<number>(undefined);
  useEffect(() => {
    if (!incoming || incoming.key === seenIncoming.current || !editor) return;
    seenIncoming.current = incoming.key;
    void takeIncoming(incoming);
  }, [incoming, editor]);

  const { pick, addFiles, fileInput } = useAttachmentPicker({ onAdd: (added) => dispatch({ type: 'attach', added }), onError: setError });

  /** Files dropped or pasted: images into the text when asked (and the format allows), the rest attached. */
  async function insertFiles(files: File[], inline: boolean) {
    const images = inline && f.format === 'html' ? files.filter(isInlineImage) : [];
    for (const image of images) editor?.chain().focus().setImage({ src: await readDataUrl(image), alt: image.name }).run();
    const rest = files.filter((file) => !images.includes(file));
    if (inline && rest.some((file) => file.type.startsWith('image/'))) setNotice(f.format === 'plain' ? t('composer.imagesAttached.plain') : t('composer.imagesAttached.large', { size: bytes(MAX_INLINE_IMAGE) }));
    if (rest.length) await addFiles(rest);
  }
  const drop = useDropZones((files, inline) => void insertFiles(files, inline));

  // Commands from the menu, a shortcut or a mailto: link, each carried out once.
  const carryOut = useEffectEvent((c: ComposerCommand) => {
    if (c.kind === 'attach') void pick();
    else if (c.kind === 'send') void send();
    else if (c.kind === 'send-later') setLaterOpen(true);
  });
  const doneCommand = useRef<number>(undefined);
  useEffect(() => {
    if (!command || command.key === doneCommand.current || !editor) return;
    doneCommand.current = command.key;
    carryOut(command.command);
  }, [command, editor]);


  /** HTML ↔ plain text: plain shows the text exactly as main will generate it; back to HTML keeps paragraphs and line breaks. */
  const switchFormat = async (next: Format) => {
    if (next === f.format) return;
    if (next === 'plain') {
      const source = html();
      const r = source ? await api()['message:to-text']({ html: source }) : undefined;
      if (r && !r.ok) return setError(r.error);
      dispatch({ type: 'edit', change: { format: next, text: r?.value.text ?? '' } });
      return;
    }
    editor?.commands.setContent(f.text.trim() ? textToHtml(f.text) : '', { emitUpdate: false });
    dispatch({ type: 'edit', change: { format: next } });
  };

  // The app lists open messages by subject, and knows which draft each one is.
  const subject = f.subject.trim();
  useEffect(() => onInfo?.({ title: subject, empty, draftId: autosave.currentId() }), [subject, empty, savedAt, onInfo, autosave]);

  const sizeLimit = from?.lastTest?.maxSize ?? DEFAULT_SIZE_LIMIT;
  const estimate = () => estimateMessageSize({ html: html(), text: bodyText(), attachmentSizes: f.attachments.map((a) => a.size) });
  // Serialising the body is not free (a 1 MB body: tens of ms): at once when the files change, but
  // for the body only after a pause in typing, never at every keystroke. Sending estimates afresh.
  const [encodedTotal, setEncodedTotal] = useState(0);
  const estimateNow = useEffectEvent(() => setEncodedTotal(f.attachments.length ? estimate() : 0));
  const estimatedFiles = useRef(f.attachments);
  useEffect(() => {
    const filesChanged = estimatedFiles.current !== f.attachments;
    estimatedFiles.current = f.attachments;
    const timer = setTimeout(estimateNow, filesChanged ? 0 : ESTIMATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [f.attachments, bodyVersion, f.format, f.text]);

  const fix = (what: Fix) => {
    setChecks(undefined);
    if (what === 'recipients') document.getElementById(ids.to)?.focus();
    else if (what === 'subject') document.getElementById(ids.subject)?.focus();
    else if (what === 'attach') void pick();
    else if (what === 'bcc') dispatch({ type: 'all-to-bcc' });
    else if (what === 'variables') {
      // Where the first of them is: the subject, else the body.
      if (templateVariables(f.subject).length) document.getElementById(ids.subject)?.focus();
      else editor?.commands.focus();
    }
  };

  const message = () => messageOf(f, from, html());

  const showPreview = async () => {
    setError(undefined);
    const r = await api()['message:preview'](message());
    if (r.ok) setPreview(r.value);
    else setError(r.error);
  };

  // State updates land on the next render: two sends in one tick (a shortcut and the menu's
  // accelerator, a double click) would both see `sending` false. The ref sees the first at once.
  const inFlight = useRef(false);
  async function send(sendAt?: Date, checked = false) {
    if (inFlight.current || !editor) return;
    if (!checked) {
      const issues = issuesBeforeSending(f, bodyText(), estimate(), sizeLimit);
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
      // The next message starts from the same account.
      load({ fields: { ...EMPTY_FIELDS, accountId: f.accountId }, html: '' });
      setNotice(undefined);
      setSavedAt(undefined);
      onQueued(r.value);
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  }

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <section ref={focus.section} className="composer" aria-label={t('composer.title')} onKeyDown={onKeyDown}>
      <header className="view-header">
        <h1 tabIndex={-1}>{t('composer.title')}</h1>
        <span className="muted small" aria-live="polite">
          {savedAt ? t('composer.draftSaved', { time: time(savedAt) }) : ''}
        </span>
        <div className="view-actions">
          {onNew && (
            <button type="button" className="btn btn-small" onClick={onNew} title={t('composer.newTitle')}>
              + {t('composer.new')}
            </button>
          )}
          <TemplatesMenu suggestedName={() => f.subject.trim()} onOpen={(tpl) => void openTemplate(tpl)} onSave={saveAsTemplate} />
          <DraftsMenu currentId={autosave.currentId} onOpen={(d) => void openDraft(d)} />
        </div>
      </header>
      {onAddAccount && accounts.length > 0 && accounts.every((a) => a.kind === 'sandbox') && (
        <p className="first-steps">
          {t('composer.firstSteps')}{' '}
          <button type="button" className="btn btn-small" onClick={onAddAccount}>
            {t('composer.addAccount')}
          </button>
        </p>
      )}
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
        <ComposerFields ids={ids} state={state} dispatch={dispatch} accounts={accounts} from={from} />
        {editor && f.format === 'html' && <Toolbar editor={editor} />}
        <div hidden={f.format !== 'html'}>
          {/* A long body (a pasted report, a long thread): the browser skips laying out and painting the blocks out of sight (.editor-long in styles.css). */}
          <EditorContent editor={editor} className={(editor?.state.doc.childCount ?? 0) > LONG_BODY_BLOCKS ? 'editor editor-long' : 'editor'} />
        </div>
        {f.format === 'plain' && <textarea className="editor plain-body" aria-label={t('composer.body')} value={f.text} onChange={(e) => dispatch({ type: 'edit', change: { text: e.target.value } })} spellCheck />}
        <SignatureBlock account={from} format={f.format} included={f.signature} onIncluded={(signature) => dispatch({ type: 'edit', change: { signature } })} />
        <AttachmentList items={f.attachments} encodedTotal={encodedTotal} sizeLimit={sizeLimit} onRemove={(handle) => dispatch({ type: 'detach', handle })} />
        {checks && <PreSendDialog issues={checks.issues} sizeLimit={sizeLimit} onFix={fix} onSendAnyway={() => void send(checks.sendAt, true)} onClose={() => setChecks(undefined)} />}
        {error && <ErrorBox error={error} />}
        {laterOpen && <SendLater onPick={(at) => void send(at)} onClose={() => setLaterOpen(false)} />}
        {preview && <DeliveredPreviewDialog preview={preview} onClose={() => setPreview(undefined)} />}
        <ComposerActions
          fileInput={fileInput}
          from={from}
          format={f.format}
          sending={sending}
          laterOpen={laterOpen}
          onAttach={() => void pick()}
          onFormat={(next) => void switchFormat(next)}
          onPreview={() => void showPreview()}
          onToggleLater={() => setLaterOpen((o) => !o)}
          onSend={() => void send()}
        />
      </div>
    </section>
  );
}
