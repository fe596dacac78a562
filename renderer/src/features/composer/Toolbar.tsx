import type { Editor } from '@tiptap/react';
import { useEditorState } from '@tiptap/react';
import { useState, type ReactNode } from 'react';
import { useT } from '../../lib/i18n';
import { Bold, Code, Italic, Link, List, ListOrdered, Minus, Quote, Redo2, Strikethrough, Underline, Undo2 } from 'lucide-react';
import { useToolbarKeys } from '../../lib/useToolbarKeys';
import { paletteName, TEXT_COLORS, type TextColorName } from './text-color';

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

/** Icons from one kept set (lucide), drawn at the text's size; the button's label names them. */
const ICON = { size: 16, 'aria-hidden': true } as const;

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
      color: (paletteName(e.getAttributes('textColor').color as string | undefined) ?? '') as TextColorName | '',
    }),
  });
  const { t } = useT();
  const keys = useToolbarKeys<HTMLDivElement>();
  const [linkOpen, setLinkOpen] = useState(false);
  const [href, setHref] = useState('');
  const [linkError, setLinkError] = useState('');

  const applyLink = () => {
    const value = href.trim();
    if (!SAFE_LINK.test(value)) {
      setLinkError(t('toolbar.unsafeLink'));
      return;
    }
    editor.chain().extendMarkRange('link').setLink({ href: value }).run();
    closeLink();
  };
  // The keyboard goes back to the text at once, not in a later frame as tiptap's focus() does:
  // keys pressed meanwhile would move the caret and then be undone by that late focus.
  const closeLink = () => {
    editor.view.focus();
    setLinkOpen(false);
  };

  const button = (label: string, glyph: ReactNode, active: boolean | undefined, run: () => void, shortcut?: string, disabled = false) => (
    <button type="button" className="tool" aria-label={label} title={shortcut ? t('toolbar.withShortcut', { label, shortcut }) : label} aria-pressed={active} disabled={disabled} onMouseDown={(e) => e.preventDefault()} onClick={run}>
      {glyph}
    </button>
  );
  const chain = () => editor.chain().focus();
  // The same toolbar serves editors with fewer features (a signature has no headings or colours).
  const has = { heading: !!editor.schema.nodes.heading, color: !!editor.schema.marks.textColor };

  return (
    <div className="toolbar-wrap">
      <div className="toolbar" role="toolbar" aria-label={t('toolbar.label')} {...keys}>
        {has.heading && (
          <select
            className="tool-select"
            aria-label={t('toolbar.style')}
            value={state.heading}
            onChange={(e) => {
              const level = Number(e.target.value) as 0 | 1 | 2 | 3;
              if (level === 0) chain().setParagraph().run();
              else chain().setHeading({ level }).run();
            }}
          >
            <option value={0}>{t('toolbar.style.text')}</option>
            <option value={1}>{t('toolbar.style.heading', { level: 1 })}</option>
            <option value={2}>{t('toolbar.style.heading', { level: 2 })}</option>
            <option value={3}>{t('toolbar.style.heading', { level: 3 })}</option>
          </select>
        )}
        <span className="tool-sep" aria-hidden="true" />
        {button(t('toolbar.bold'), <Bold {...ICON} />, state.bold, () => chain().toggleBold().run(), 'Ctrl+B')}
        {button(t('toolbar.italic'), <Italic {...ICON} />, state.italic, () => chain().toggleItalic().run(), 'Ctrl+I')}
        {button(t('toolbar.underline'), <Underline {...ICON} />, state.underline, () => chain().toggleUnderline().run(), 'Ctrl+U')}
        {button(t('toolbar.strike'), <Strikethrough {...ICON} />, state.strike, () => chain().toggleStrike().run(), 'Ctrl+Shift+S')}
        {button(t('toolbar.code'), <Code {...ICON} />, state.code, () => chain().toggleCode().run(), 'Ctrl+E')}
        {has.color && (
          <select
            className="tool-select tool-color"
            aria-label={t('toolbar.color')}
            value={state.color}
            style={state.color ? { color: TEXT_COLORS[state.color] } : undefined}
            onChange={(e) => {
              const name = e.target.value as TextColorName | '';
              if (name) chain().setMark('textColor', { color: TEXT_COLORS[name] }).run();
              else chain().unsetMark('textColor').run();
            }}
          >
            <option value="">{t('toolbar.color.default')}</option>
            {(Object.keys(TEXT_COLORS) as TextColorName[]).map((name) => (
              <option key={name} value={name} style={{ color: TEXT_COLORS[name] }}>
                {t(`toolbar.color.${name}`)}
              </option>
            ))}
          </select>
        )}
        <span className="tool-sep" aria-hidden="true" />
        {button(t('toolbar.bullets'), <List {...ICON} />, state.bullet, () => chain().toggleBulletList().run(), 'Ctrl+Shift+8')}
        {button(t('toolbar.numbers'), <ListOrdered {...ICON} />, state.ordered, () => chain().toggleOrderedList().run(), 'Ctrl+Shift+7')}
        {button(t('toolbar.quote'), <Quote {...ICON} />, state.quote, () => chain().toggleBlockquote().run(), 'Ctrl+Shift+B')}
        {button(t('toolbar.rule'), <Minus {...ICON} />, undefined, () => chain().setHorizontalRule().run())}
        <span className="tool-sep" aria-hidden="true" />
        {button(t('toolbar.link'), <Link {...ICON} />, state.link, () => {
          setHref(state.href);
          setLinkError('');
          setLinkOpen((o) => !o);
        })}
        <span className="tool-sep" aria-hidden="true" />
        {button(t('toolbar.undo'), <Undo2 {...ICON} />, undefined, () => chain().undo().run(), 'Ctrl+Z', !state.canUndo)}
        {button(t('toolbar.redo'), <Redo2 {...ICON} />, undefined, () => chain().redo().run(), 'Ctrl+Shift+Z', !state.canRedo)}
      </div>
      {linkOpen && (
        <div className="link-row">
          <label>
            <span className="sr-only">{t('toolbar.linkAddress')}</span>
            <input
              autoFocus
              aria-label={t('toolbar.linkAddress')}
              placeholder="https://example.com"
              value={href}
              onChange={(e) => setHref(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  applyLink();
                }
                if (e.key === 'Escape') closeLink();
              }}
            />
          </label>
          <button type="button" className="btn" onClick={applyLink}>
            {t('toolbar.applyLink')}
          </button>
          {state.link && (
            <button type="button" className="btn btn-quiet" onClick={() => (editor.chain().extendMarkRange('link').unsetLink().run(), closeLink())}>
              {t('toolbar.removeLink')}
            </button>
          )}
          {linkError && <span className="field-error">{linkError}</span>}
        </div>
      )}
    </div>
  );
}
