import { Mark } from '@tiptap/react';

/**
 * Text colours offered in the composer: a short palette that reads on the white most recipients
 * see and keeps 4.5:1 contrast there. Only these are kept when a draft is read back.
 */
export const TEXT_COLORS = { red: '#c0392b', orange: '#b45309', green: '#1e7b45', blue: '#1f5fbf', purple: '#7d3c98', grey: '#5f6368' } as const;
export type TextColorName = keyof typeof TEXT_COLORS;

const byValue = new Map<string, TextColorName>(Object.entries(TEXT_COLORS).map(([name, value]) => [value, name as TextColorName]));
/** The palette name of a CSS colour as the browser reports it (rgb(…) or #hex), if it is one of ours. */
export function paletteName(css: string | null | undefined): TextColorName | undefined {
  if (!css) return undefined;
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  const hex = rgb ? `#${rgb.slice(1).map((n) => Number(n).toString(16).padStart(2, '0')).join('')}` : css.toLowerCase();
  return byValue.get(hex);
}

/**
 * A colour on a run of text, written as `<span style="color: …">`, which every mail client shows.
 * (tiptap's own Color extension is not in our registry snapshot at the editor's version.)
 */
export const TextColor = Mark.create({
  name: 'textColor',
  addAttributes() {
    return {
      color: {
        default: null,
        parseHTML: (el) => {
          const name = paletteName((el as HTMLElement).style.color);
          return name ? TEXT_COLORS[name] : null;
        },
        renderHTML: (attrs) => (attrs.color ? { style: `color: ${attrs.color as string}` } : {}),
      },
    };
  },
  parseHTML() {
    return [{ tag: 'span', getAttrs: (el) => (paletteName((el as HTMLElement).style.color) ? {} : false) }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['span', HTMLAttributes, 0];
  },
});
