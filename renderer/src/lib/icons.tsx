// Small inline icons: emoji glyphs depend on fonts a machine may not have.
const base = { width: 16, height: 16, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round', 'aria-hidden': true } as const;

export const PaperclipIcon = () => (
  <svg {...base}>
    <path d="M21.4 11.1 12.2 20.3a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" />
  </svg>
);

export const LinkIcon = () => (
  <svg {...base}>
    <path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7.1-7.1l-1.7 1.7" />
    <path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7.1 7.1l1.7-1.7" />
  </svg>
);

/** Drawn, not the text "1.": visible text in a button must be part of its name (WCAG 2.5.3), and "1." is not "Numbered list". */
export const NumberedListIcon = () => (
  <svg {...base}>
    <path d="M10 6h11M10 12h11M10 18h11" />
    <path d="M4 5l1.5-1v5" />
    <path d="M3.5 14.5a1.5 1.5 0 0 1 3 0c0 1.5-3 2-3 4h3" strokeWidth={1.6} />
  </svg>
);
