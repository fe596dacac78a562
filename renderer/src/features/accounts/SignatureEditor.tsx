import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account } from '../../../../shared/model/account';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { sanitizePastedHtml } from '../../lib/sanitize-paste';
import { Toolbar } from '../composer/Toolbar';

/**
 * An account's signature, written with the same editor and toolbar as a message. Main adds it
 * below messages from this account after the standard "-- " line (as text in plain-text messages).
 */
export function SignatureEditor({ account, onDone }: { account: Account; onDone: (saved: boolean) => void }) {
  const [error, setError] = useState<ErrorInfo>();
  const editor = useEditor({
    extensions: [StarterKit.configure({ heading: false, link: { openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'] } })],
    content: account.signature ?? '',
    editorProps: {
      attributes: { 'aria-label': `Signature of ${account.name}`, 'aria-multiline': 'true', role: 'textbox', class: 'editor-body signature-editor' },
      transformPastedHTML: sanitizePastedHtml,
    },
    immediatelyRender: true,
  });
  const save = async () => {
    const html = !editor || editor.isEmpty ? '' : editor.getHTML();
    const r = await api()['accounts:set-signature']({ id: account.id, html });
    if (!r.ok) return setError(r.error);
    onDone(true);
  };
  return (
    <div className="signature-form" role="group" aria-label={`Signature of ${account.name}`}>
      <p className="muted small">Added below each message from {account.name}, after a “-- ” line; plain-text messages get it as text. Leave it empty for none.</p>
      <div className="card">
        {editor && <Toolbar editor={editor} />}
        <EditorContent editor={editor} />
      </div>
      {error && <ErrorBox error={error} />}
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => onDone(false)}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void save()}>
          Save signature
        </button>
      </div>
    </div>
  );
}
