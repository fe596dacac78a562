import Image from '@tiptap/extension-image';
import Link from '@tiptap/extension-link';
import StarterKit from '@tiptap/starter-kit';
import { TextColor } from './text-color';

/**
 * Links end where their text ends: typing right after one writes plain text. (Link marks are
 * inclusive when autolink is on, so without this every word typed after a link joined it.)
 */
const LinkThatEnds = Link.extend({ inclusive: () => false }).configure({ openOnClick: false, autolink: true, protocols: ['http', 'https', 'mailto'] });

/** A message's body: everything the toolbar offers, and images pasted or dropped in. */
export const messageExtensions = () => [StarterKit.configure({ link: false }), LinkThatEnds, Image.configure({ allowBase64: true }), TextColor];

/** A signature: no headings, no colours, no images. */
export const signatureExtensions = () => [StarterKit.configure({ heading: false, link: false }), LinkThatEnds];
