import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account } from '../../../../shared/model/account';
import type { AttachmentInfo, DraftBack, SavedDraft } from '../../../../shared/model/draft';
import type { OutboxItem } from '../../../../shared/model/outbox';
import { DEFAULT_SIZE_LIMIT, estimateMessageSize } from '../../../../shared/model/message-size';
import { preSendChecks, type PreSendIssue } from '../../../../shared/model/pre-send-checks';
import { mailboxParts, splitRecipients } from '../../../../shared/model/recipients';
import { textToHtml } from '../../../../shared/model/text';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { PaperclipIcon } from '../../lib/icons';
import { sanitizePastedHtml } from '../../lib/sanitize-paste';
import { AttachmentList, useAttachmentPicker } from './Attachments';
import { DraftsMenu } from './DraftsMenu';
import { PreSendDialog, type Fix } from './PreSendDialog';
import { SendLater } from './SendLater';
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
  onQueued: (item: OutboxItem) => void;
}


export function Composer({ accounts, undoSeconds, incoming, onQueued }: Props) {
  const [accountId, setAccountId] = useState('');
  const [to, setTo] = useState('');
  const [cc, setCc] = useState('');
  const [bcc, setBcc] = useState('');
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
    extensions: [StarterKit.configure({ link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'] } })],
    editorProps: {
      attributes: { 'aria-label': 'Message body', 'aria-multiline': 'true', role: 'textbox', class: 'editor-body' },
      // Pasted HTML is cleaned before the editor's schema sees it: no scripts, handlers, styles or remote images.
      transformPastedHTML: sanitizePastedHtml,
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

  const html = () => (!editor || editor.isEmpty ? '' : editor.getHTML());
  const snapshot = () => {
    const fields = { accountId, to, cc, bcc, subject, html: html(), attachments: attachments.map((a) => ({ handle: a.handle })) };
    const empty = !to.trim() && !cc.trim() && !bcc.trim() && !subject.trim() && !fields.html && !attachments.length;
    return empty ? undefined : fields;
  };
  const latestSnapshot = useRef(snapshot);
  latestSnapshot.current = snapshot;
  const onSaved = useCallback((at: string) => setSavedAt(at), []);
  const autosave = useDraftAutosave(snapshot, [accountId, to, cc, bcc, subject, attachments, bodyVersion], onSaved);

  /** Put a message into the fields (a saved draft, or one handed back from the outbox). */
  const fill = useCallback(
    async (d: { accountId?: string; to: string; cc: string; bcc: string; subject: string; html: string; attachments: AttachmentInfo[] }) => {
      if (d.accountId && accounts.some((a) => a.id === d.accountId)) {
        setAccountId(d.accountId);
        setFromPicked(true);
      }
      setTo(d.to);
      setCc(d.cc);
      setBcc(d.bcc);
      setShowCopies(!!(d.cc || d.bcc));
      setSubject(d.subject);
      setAttachments(d.attachments);
      editor?.commands.setContent(d.html || '', { emitUpdate: false });
      setError(undefined);
    },
    [accounts, editor],
  );

  // On start: reopen the newest unsent draft (after a restart or a crash), and offer the others.
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    if (restored || !editor) return;
    setRestored(true);
    void api()['drafts:list']().then(async (r) => {
      if (!r.ok || !r.value.length) return;
      // Never over what the user has begun to type meanwhile: the drafts stay in the Drafts menu.
      if (latestSnapshot.current()) return setNotice(`You have ${r.value.length} unsent draft${r.value.length > 1 ? 's' : ''}: open one from Drafts.`);
      const newest = r.value[0]!;
      await autosave.adopt(newest.id);
      await fill(newest);
      setSavedAt(newest.updatedAt);
      setNotice(`Your unsent draft from ${formatTime(newest.updatedAt)} is back.${newest.missing.length ? ` These files could not be found and need attaching again: ${newest.missing.join(', ')}.` : ''}`);
    });
  }, [restored, editor, autosave, fill]);

  // A message handed back (undo, edit, re-open as new): it replaces what is here, which is saved first.
  const [seen, setSeen] = useState<number>();
  useEffect(() => {
    if (!incoming || incoming.key === seen || !editor) return;
    setSeen(incoming.key);
    void (async () => {
      await autosave.adopt(undefined);
      const d = incoming.back.draft;
      const infos = await Promise.all(d.attachments.map((a) => api()['attachments:describe']({ handle: a.handle })));
      await fill({ accountId: d.accountId, to: d.to.join(', '), cc: d.cc.join(', '), bcc: d.bcc.join(', '), subject: d.subject, html: d.html ?? (d.text ? textToHtml(d.text) : ''), attachments: infos.flatMap((r) => (r.ok ? [r.value] : [])) });
      const missing = [...incoming.back.missing, ...infos.flatMap((r) => (r.ok ? [] : ['an attachment']))];
      setNotice(`${incoming.note}${missing.length ? ` These files could not be found and need attaching again: ${missing.join(', ')}.` : ''}`);
      setSavedAt(undefined); // saved as a new draft a moment later, like any change
    })();
  }, [incoming, seen, editor, autosave, fill]);

  const { pick, fileInput } = useAttachmentPicker({ onAdd: (added) => setAttachments((list) => [...list, ...added]), onError: setError });

  const openDraft = async (d: SavedDraft) => {
    await autosave.adopt(d.id);
    await fill(d);
    setSavedAt(d.updatedAt);
    setNotice(undefined);
  };

  const from = accounts.find((a) => a.id === accountId);
  const sizeLimit = from?.lastTest?.maxSize ?? DEFAULT_SIZE_LIMIT;
  const estimate = () => estimateMessageSize({ html: html(), text: editor?.getText({ blockSeparator: '\n' }) ?? '', attachmentSizes: attachments.map((a) => a.size) });
  // Serialising the body is not free: only again when the body or the files changed, not on every keystroke in a field.
  const encodedTotal = useMemo(() => (attachments.length ? estimate() : 0), [attachments, bodyVersion]);

  const fix = (what: Fix) => {
    setChecks(undefined);
    if (what === 'recipients') document.getElementById('to')?.focus();
    else if (what === 'subject') document.getElementById('subject')?.focus();
    else if (what === 'attach') void pick();
    else if (what === 'bcc') {
      // Everyone moves to Bcc, so no recipient learns the others' addresses.
      setBcc([to, cc, bcc].flatMap(splitRecipients).join(', '));
      setTo('');
      setCc('');
      setShowCopies(true);
    }
  };

  const send = async (sendAt?: Date, checked = false) => {
    if (sending || !editor) return;
    if (!checked) {
      const recipients = [to, cc, bcc].flatMap(splitRecipients).map(mailboxParts);
      const visibleCount = [to, cc].flatMap(splitRecipients).length;
      const issues = preSendChecks({ recipients, visibleCount, subject, text: editor.getText({ blockSeparator: '\n' }), attachmentCount: attachments.length, estimatedSize: estimate(), sizeLimit });
      if (issues.length) return setChecks({ issues, sendAt });
    }
    setChecks(undefined);
    setError(undefined);
    setSending(true);
    const r = await api()['outbox:enqueue']({
      accountId,
      to: splitRecipients(to),
      cc: splitRecipients(cc),
      bcc: splitRecipients(bcc),
      subject,
      html: html(),
      attachments: attachments.map((a) => ({ handle: a.handle })),
      options: sendAt ? { sendAt: sendAt.toISOString() } : { undoSeconds: undoSeconds as 0 | 5 | 10 | 20 | 30 },
    });
    setSending(false);
    if (!r.ok) return setError(r.error);
    setLaterOpen(false);
    await autosave.discard();
    await fill({ to: '', cc: '', bcc: '', subject: '', html: '', attachments: [] });
    setNotice(undefined);
    setSavedAt(undefined);
    onQueued(r.value);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <section className="composer" aria-label="New message" onKeyDown={onKeyDown}>
      <header className="view-header">
        <h1>New message</h1>
        <span className="muted small" aria-live="polite">
          {savedAt ? `Draft saved ${formatTime(savedAt)}` : ''}
        </span>
        <DraftsMenu currentId={autosave.currentId} onOpen={(d) => void openDraft(d)} />
      </header>
      {notice && (
        <div className="notice" role="status">
          {notice}
          <button type="button" className="btn btn-quiet btn-small" onClick={() => setNotice(undefined)}>
            Dismiss
          </button>
        </div>
      )}
      <div className="card composer-card">
        <div className="field-row">
          <label htmlFor="from">From</label>
          <select
            id="from"
            value={accountId}
            onChange={(e) => {
              setAccountId(e.target.value);
              setFromPicked(true);
            }}
          >
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName ? `${a.displayName} <${a.email}>` : a.email} — {a.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field-row">
          <label htmlFor="to">To</label>
          <input id="to" value={to} onChange={(e) => setTo(e.target.value)} placeholder="name@example.com, Name <other@example.com>" autoComplete="off" />
          {!showCopies && (
            <button type="button" className="btn btn-quiet btn-small" onClick={() => setShowCopies(true)}>
              Cc / Bcc
            </button>
          )}
        </div>
        {showCopies && (
          <>
            <div className="field-row">
              <label htmlFor="cc">Cc</label>
              <input id="cc" value={cc} onChange={(e) => setCc(e.target.value)} autoComplete="off" />
            </div>
            <div className="field-row">
              <label htmlFor="bcc">Bcc</label>
              <input id="bcc" value={bcc} onChange={(e) => setBcc(e.target.value)} autoComplete="off" />
            </div>
          </>
        )}
        <div className="field-row">
          <label htmlFor="subject">Subject</label>
          <input id="subject" value={subject} onChange={(e) => setSubject(e.target.value)} autoComplete="off" />
        </div>
        {editor && <Toolbar editor={editor} />}
        <EditorContent editor={editor} className="editor" />
        <AttachmentList items={attachments} encodedTotal={encodedTotal} sizeLimit={sizeLimit} onRemove={(h) => setAttachments((list) => list.filter((a) => a.handle !== h))} />
        {checks && <PreSendDialog issues={checks.issues} sizeLimit={sizeLimit} onFix={fix} onSendAnyway={() => void send(checks.sendAt, true)} onClose={() => setChecks(undefined)} />}
        {error && <ErrorBox error={error} />}
        {laterOpen && <SendLater onPick={(at) => void send(at)} onClose={() => setLaterOpen(false)} />}
        <footer className="composer-actions">
          {fileInput}
          <button type="button" className="btn" onClick={() => void pick()}>
            <PaperclipIcon /> Attach files
          </button>
          <span className="muted grow">{from?.kind === 'sandbox' ? 'Sandbox: the message is caught locally, not delivered.' : ''}</span>
          <button type="button" className="btn" onClick={() => setLaterOpen((o) => !o)} aria-expanded={laterOpen} disabled={sending || !accountId}>
            Send later…
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void send()} disabled={sending || !accountId} title="Send (Ctrl+Enter)">
            {sending ? 'Sending…' : 'Send'}
          </button>
        </footer>
      </div>
    </section>
  );
}
