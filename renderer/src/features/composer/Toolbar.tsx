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
      underline: e.isActive('underline'),
      strike: e.isActive('strike'),
      code: e.isActive('code'),
      quote: e.isActive('blockquote'),
      heading: ([1, 2, 3] as const).find((level) => e.isActive('heading', { level })) ?? 0,
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
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

  const button = (label: string, glyph: ReactNode, active: boolean | undefined, run: () => void, shortcut?: string, disabled = false) => (
    <button type="button" className="tool" aria-label={label} title={shortcut ? `${label} (${shortcut})` : label} aria-pressed={active} disabled={disabled} onMouseDown={(e) => e.preventDefault()} onClick={run}>
      {glyph}
    </button>
  );
  const chain = () => editor.chain().focus();

  return (
    <div className="toolbar-wrap">
      <div className="toolbar" role="toolbar" aria-label="Formatting">
        <select
          className="tool-select"
          aria-label="Paragraph style"
          value={state.heading}
          onChange={(e) => {
            const level = Number(e.target.value) as 0 | 1 | 2 | 3;
            if (level === 0) chain().setParagraph().run();
            else chain().setHeading({ level }).run();
          }}
        >
          <option value={0}>Text</option>
          <option value={1}>Heading 1</option>
          <option value={2}>Heading 2</option>
          <option value={3}>Heading 3</option>
        </select>
        <span className="tool-sep" aria-hidden="true" />
        {button('Bold', 'B', state.bold, () => chain().toggleBold().run(), 'Ctrl+B')}
        {button('Italic', 'I', state.italic, () => chain().toggleItalic().run(), 'Ctrl+I')}
        {button('Underline', <u>U</u>, state.underline, () => chain().toggleUnderline().run(), 'Ctrl+U')}
        {button('Strikethrough', <s>S</s>, state.strike, () => chain().toggleStrike().run(), 'Ctrl+Shift+S')}
        {button('Code', '</>', state.code, () => chain().toggleCode().run(), 'Ctrl+E')}
        <span className="tool-sep" aria-hidden="true" />
        {button('Bulleted list', '•', state.bullet, () => chain().toggleBulletList().run(), 'Ctrl+Shift+8')}
        {button('Numbered list', '1.', state.ordered, () => chain().toggleOrderedList().run(), 'Ctrl+Shift+7')}
        {button('Quote', '❝', state.quote, () => chain().toggleBlockquote().run(), 'Ctrl+Shift+B')}
        {button('Horizontal line', '―', undefined, () => chain().setHorizontalRule().run())}
        <span className="tool-sep" aria-hidden="true" />
        {button('Link', <LinkIcon />, state.link, () => {
          setHref(state.href);
          setLinkError('');
          setLinkOpen((o) => !o);
        })}
        <span className="tool-sep" aria-hidden="true" />
        {button('Undo', '↶', undefined, () => chain().undo().run(), 'Ctrl+Z', !state.canUndo)}
        {button('Redo', '↷', undefined, () => chain().redo().run(), 'Ctrl+Shift+Z', !state.canRedo)}
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
