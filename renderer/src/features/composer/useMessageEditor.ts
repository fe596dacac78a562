import { useEditor } from '@tiptap/react';
import { useEffect, useRef, useState } from 'react';
import { sanitizePastedHtml } from '../../lib/sanitize-paste';
import { messageExtensions } from './editor-extensions';

/**
 * The rich-text body: pasted HTML cleaned before the editor's schema sees it (no scripts,
 * handlers, styles or remote images), pasted files handed to `onPasteFiles`, and a version that
 * counts changes (what autosave and the size estimate wait on, without serialising the body).
 */
export function useMessageEditor(label: string, onPasteFiles: (files: File[]) => void) {
  const [bodyVersion, setBodyVersion] = useState(0);
  // The editor is made once; its paste handler calls whatever the composer's handler is now.
  const pasted = useRef(onPasteFiles);
  useEffect(() => {
    pasted.current = onPasteFiles;
  });
  const editor = useEditor({
    extensions: messageExtensions(),
    editorProps: {
      attributes: { 'aria-label': label, 'aria-multiline': 'true', role: 'textbox', class: 'editor-body' },
      transformPastedHTML: sanitizePastedHtml,
      // A pasted image (a screenshot) goes into the text; other pasted files are attached.
      handlePaste: (_view, event) => {
        const files = [...(event.clipboardData?.files ?? [])];
        if (!files.length) return false;
        pasted.current(files);
        return true;
      },
    },
    immediatelyRender: true,
    onUpdate: () => setBodyVersion((v) => v + 1),
  });
  return { editor, bodyVersion };
}
