import type { Editor } from '@tiptap/react';
import { useEditorState } from '@tiptap/react';
import { useState, type ReactNode } from 'react';
import { LinkIcon } from '../../lib/icons';

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

/** Formatting controls for the editor; each one is a labelled toggle that shows its state. */
export function Toolbar({ editor }: { editor: Editor }) {
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      link: e.isActive('link'),
      href: (e.getAttributes('link').href as string | undefined) ?? '',
    }),
  });
  const [linkOpen, setLinkOpen] = useState(false);
  const [href, setHref] = useState('');
  const [linkError, setLinkError] = useState('');

  const applyLink = () => {
    const value = href.trim();
    if (!SAFE_LINK.test(value)) {
      setLinkError('Links must start with https://, http:// or mailto:');
      return;
    }
    editor.chain().focus().extendMarkRange('link').setLink({ href: value }).run();
    setLinkOpen(false);
  };

  const button = (label: string, glyph: ReactNode, active: boolean, run: () => void, shortcut?: string) => (
    <button type="button" className="tool" aria-label={label} title={shortcut ? `${label} (${shortcut})` : label} aria-pressed={active} onMouseDown={(e) => e.preventDefault()} onClick={run}>
      {glyph}
    </button>
  );

  return (
    <div className="toolbar-wrap">
      <div className="toolbar" role="toolbar" aria-label="Formatting">
        {button('Bold', 'B', state.bold, () => editor.chain().focus().toggleBold().run(), 'Ctrl+B')}
        {button('Italic', 'I', state.italic, () => editor.chain().focus().toggleItalic().run(), 'Ctrl+I')}
        <span className="tool-sep" aria-hidden="true" />
        {button('Bulleted list', '•', state.bullet, () => editor.chain().focus().toggleBulletList().run())}
        {button('Numbered list', '1.', state.ordered, () => editor.chain().focus().toggleOrderedList().run())}
        <span className="tool-sep" aria-hidden="true" />
        {button('Link', <LinkIcon />, state.link, () => {
          setHref(state.href);
          setLinkError('');
          setLinkOpen((o) => !o);
        })}
      </div>
      {linkOpen && (
        <div className="link-row">
          <label>
            <span className="sr-only">Link address</span>
            <input
              autoFocus
              aria-label="Link address"
              placeholder="https://example.com"
              value={href}
              onChange={(e) => setHref(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  applyLink();
                }
                if (e.key === 'Escape') setLinkOpen(false);
              }}
            />
          </label>
          <button type="button" className="btn" onClick={applyLink}>
            Apply link
          </button>
          {state.link && (
            <button type="button" className="btn btn-quiet" onClick={() => (editor.chain().focus().extendMarkRange('link').unsetLink().run(), setLinkOpen(false))}>
              Remove link
            </button>
          )}
          {linkError && <span className="field-error">{linkError}</span>}
        </div>
      )}
    </div>
  );
}
