import { EditorContent, useEditor } from '@tiptap/react';
import { useState } from 'react';
import type { ErrorInfo } from '../../../../shared/errors';
import type { Account } from '../../../../shared/model/account';
import { ErrorBox } from '../../lib/ErrorBox';
import { api } from '../../lib/api';
import { useT } from '../../lib/i18n';
import { sanitizePastedHtml } from '../../lib/sanitize-paste';
import { signatureExtensions } from '../composer/editor-extensions';
import { Toolbar } from '../composer/Toolbar';

/**
 * An account's signature, written with the same editor and toolbar as a message. Main adds it
 * below messages from this account after the standard "-- " line (as text in plain-text messages).
 */
export function SignatureEditor({ account, onDone }: { account: Account; onDone: (saved: boolean) => void }) {
  const { t } = useT();
  const [error, setError] = useState<ErrorInfo>();
  const label = t('signature.of', { name: account.name });
  const editor = useEditor({
    extensions: signatureExtensions(),
    content: account.signature ?? '',
    editorProps: {
      attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', class: 'editor-body signature-editor' },
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
    <div className="signature-form" role="group" aria-label={label}>
      <p className="muted small">{t('signature.help', { name: account.name })}</p>
      <div className="card">
        {editor && <Toolbar editor={editor} />}
        <EditorContent editor={editor} />
      </div>
      {error && <ErrorBox error={error} />}
      <div className="form-actions">
        <button type="button" className="btn" onClick={() => onDone(false)}>
          {t('common.cancel')}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void save()}>
          {t('signature.save')}
        </button>
      </div>
    </div>
  );
}
