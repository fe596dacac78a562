import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account } from '../../../../shared/model/account';
import type { AttachmentInfo } from '../../../../shared/model/draft';
import { splitRecipients } from '../../../../shared/model/recipients';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { PaperclipIcon } from '../../lib/icons';
import { AttachmentList, useAttachmentPicker } from './Attachments';
import { Toolbar } from './Toolbar';

interface Props {
  accounts: Account[];
  onSent: () => void;
}

export function Composer({ accounts, onSent }: Props) {
  const [accountId, setAccountId] = useState('');
  const [to, setTo] = useState('');
  const [cc, setCc] = useState('');
  const [bcc, setBcc] = useState('');
  const [showCopies, setShowCopies] = useState(false);
  const [subject, setSubject] = useState('');
  const [attachments, setAttachments] = useState<AttachmentInfo[]>([]);
  const [error, setError] = useState<ErrorInfo>();
  const [sending, setSending] = useState(false);

  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'] } })],
    editorProps: { attributes: { 'aria-label': 'Message body', 'aria-multiline': 'true', role: 'textbox', class: 'editor-body' } },
    immediatelyRender: true,
  });

  // From follows the default account until the user picks one; a picked account that is removed falls back to the default.
  const [fromPicked, setFromPicked] = useState(false);
  useEffect(() => {
    if (fromPicked && accounts.some((a) => a.id === accountId)) return;
    setAccountId(accounts.find((a) => a.isDefault)?.id ?? accounts[0]?.id ?? '');
  }, [accounts, accountId, fromPicked]);

  const { pick, fileInput } = useAttachmentPicker({ onAdd: (added) => setAttachments((list) => [...list, ...added]), onError: setError });

  const send = async () => {
    if (sending || !editor) return;
    setError(undefined);
    setSending(true);
    const r = await api()['outbox:enqueue']({
      accountId,
      to: splitRecipients(to),
      cc: splitRecipients(cc),
      bcc: splitRecipients(bcc),
      subject,
      html: editor.isEmpty ? '' : editor.getHTML(),
      attachments: attachments.map((a) => ({ handle: a.handle })),
    });
    setSending(false);
    if (!r.ok) return setError(r.error);
    setTo('');
    setCc('');
    setBcc('');
    setSubject('');
    setAttachments([]);
    editor.commands.clearContent();
    onSent();
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  const from = accounts.find((a) => a.id === accountId);
  return (
    <section className="composer" aria-label="New message" onKeyDown={onKeyDown}>
      <header className="view-header">
        <h1>New message</h1>
      </header>
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
        <AttachmentList items={attachments} onRemove={(h) => setAttachments((list) => list.filter((a) => a.handle !== h))} />
        {error && <ErrorBox error={error} />}
        <footer className="composer-actions">
          {fileInput}
          <button type="button" className="btn" onClick={() => void pick()}>
            <PaperclipIcon /> Attach files
          </button>
          <span className="muted grow">{from?.kind === 'sandbox' ? 'Sandbox: the message is caught locally, not delivered.' : ''}</span>
          <button type="button" className="btn btn-primary" onClick={() => void send()} disabled={sending || !accountId} title="Send (Ctrl+Enter)">
            {sending ? 'Sending…' : 'Send'}
          </button>
        </footer>
      </div>
    </section>
  );
}
