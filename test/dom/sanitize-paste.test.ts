// @vitest-environment jsdom
// Runs in a DOM (jsdom) and is type-checked with the renderer's settings: it tests renderer code.
import { describe, expect, it } from 'vitest';
import { sanitizePastedHtml } from '../../renderer/src/lib/sanitize-paste';

/** The cleaned HTML, parsed back, for assertions on structure rather than on exact strings. */
const clean = (html: string) => {
  const out = sanitizePastedHtml(html);
  const doc = new DOMParser().parseFromString(`<body>${out}</body>`, 'text/html');
  return { out, doc };
};

describe('paste sanitising (a corpus of hostile and messy HTML)', () => {
  it.each([
    ['script element', '<p>hi</p><script>alert(1)</script>'],
    ['event handler', '<p onclick="alert(1)" onmouseover="x()">hi</p><img src=x onerror="alert(1)">'],
    ['javascript: link', '<a href="javascript:alert(1)">hi</a><a href=" JaVaScRiPt:alert(1)">x</a>'],
    ['data: html link', '<a href="data:text/html;base64,PHNjcmlwdD4=">hi</a>'],
    ['vbscript link', '<a href="vbscript:msgbox(1)">hi</a>'],
    ['iframe and object', '<iframe src="https://evil.example"></iframe><object data="x.swf"></object><embed src="x">'],
    ['form', '<form action="https://evil.example"><input name=p><button>go</button></form>'],
    ['style element and attribute', '<style>body{display:none}</style><p style="position:fixed;top:0;background:url(https://t.example/p.gif)">hi</p>'],
    ['CSS expression', '<p style="width: expression(alert(1))">hi</p>'],
    ['svg with script', '<svg><script>alert(1)</script><a xlink:href="javascript:alert(1)">x</a></svg>'],
    ['meta refresh and base', '<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/">'],
  ])('%s: nothing executable or fetching survives', (_name, html) => {
    const { out, doc } = clean(html);
    expect(out).not.toMatch(/script|onerror|onclick|onmouseover|javascript:|vbscript:|expression\(|iframe|object|embed|<form|<input|<style|style=|<meta|<base|data:text/i);
    expect(doc.querySelectorAll('[src^="http"], [href^="data:text"]')).toHaveLength(0);
  });

  it('drops remote images (the composer fetches nothing) but keeps their alt text and embedded ones', () => {
    const { doc } = clean('<p>Logo: <img src="https://tracker.example/pixel.gif?u=1" alt="ACME"> and <img src="data:image/png;base64,iVBORw0KGgo=" alt="inline"></p>');
    expect(doc.body.textContent).toContain('Logo: ACME');
    const imgs = [...doc.querySelectorAll('img')];
    expect(imgs.map((i) => i.getAttribute('src'))).toEqual(['data:image/png;base64,iVBORw0KGgo=']);
  });

  it('keeps the structure of a Word paste and drops its Office markup', () => {
    const word = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style><!--[if gte mso 9]><xml><o:OfficeDocumentSettings/></xml><![endif]--></head>
      <body><h1 class="MsoTitle">Plan</h1><p class="MsoNormal"><b>Bold</b> and <i>italic</i><o:p></o:p></p>
      <ul><li class="MsoListParagraph">one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr></table>
      <p><a href="https://example.com/x" class="MsoHyperlink" style="color:blue">link</a></p></body></html>`;
    const { out, doc } = clean(word);
    expect(doc.querySelector('h1')?.textContent).toBe('Plan');
    expect(doc.querySelector('b')?.textContent).toBe('Bold');
    expect(doc.querySelectorAll('li')).toHaveLength(2);
    expect(doc.querySelectorAll('td')).toHaveLength(2);
    expect(doc.querySelector('a')?.getAttribute('href')).toBe('https://example.com/x');
    expect(out).not.toMatch(/Mso|<o:|OfficeDocumentSettings|class=|style|\[if/);
  });

  it('keeps Google Docs structure, drops its wrapper styling', () => {
    const gdocs = '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1"><p dir="ltr" style="line-height:1.38"><span style="font-weight:700;">Strong</span><span> text</span></p><ol><li><p>first</p></li></ol></b>';
    const { out, doc } = clean(gdocs);
    expect(doc.body.textContent).toContain('Strong text');
    expect(doc.querySelectorAll('ol li')).toHaveLength(1);
    expect(out).not.toMatch(/style=|id=|dir=|<meta/);
  });

  it('keeps safe links: http, https, mailto', () => {
    const { doc } = clean('<a href="https://a.example">a</a><a href="http://b.example">b</a><a href="mailto:c@example.test">c</a><a href="ftp://d.example">d</a>');
    expect([...doc.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['https://a.example', 'http://b.example', 'mailto:c@example.test', null]);
  });
});
