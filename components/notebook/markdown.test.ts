import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { createMarkdownRenderer } from './markdown';

const { window } = new JSDOM('<!doctype html><html><body></body></html>');
const render = createMarkdownRenderer(window as unknown as Parameters<typeof createMarkdownRenderer>[0]);

/** Parses rendered HTML into a fragment, as the page inserts it. */
function parse(html: string): DocumentFragment {
  const template = window.document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

function attributes(fragment: DocumentFragment): string[] {
  return [...fragment.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => `${a.name}=${a.value}`));
}

describe('markdown rendering', () => {
  it('renders headings, emphasis, code and tables', () => {
    const html = render('# Title\n\n*a* **b** `c`\n\n| x | y |\n|---|---|\n| 1 | 2 |\n');
    const doc = parse(html);
    expect(doc.querySelector('h1')?.textContent).toBe('Title');
    expect(doc.querySelector('em')?.textContent).toBe('a');
    expect(doc.querySelector('code')?.textContent).toBe('c');
    expect(doc.querySelectorAll('td')).toHaveLength(2);
  });

  it('keeps a script tag as text', () => {
    const doc = parse(render('<script>window.pwned = 1</script>'));
    expect(doc.querySelector('script')).toBeNull();
    expect(doc.textContent).toContain('<script>window.pwned = 1</script>');
  });

  it('drops event handler attributes', () => {
    const doc = parse(render('<img src=x onerror="window.pwned = 1">\n\n![x](y.png "t")'));
    const attrs = attributes(doc);
    expect(attrs.filter((a) => a.startsWith('on'))).toEqual([]);
    expect(doc.querySelectorAll('img')).toHaveLength(1);
    expect(doc.querySelector('img')?.getAttribute('src')).toBe('y.png');
  });

  it.each([
    ['[x](javascript:alert(1))'],
    ['[x](JaVaScRiPt:alert(1))'],
    ['[x](  javascript:alert(1))'],
    ['[x](java\tscript:alert(1))'],
    ['[x](vbscript:msgbox(1))'],
    ['[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['<a href="javascript:alert(1)">x</a>'],
    ['<javascript:alert(1)>'],
  ])('keeps no script URL from %s', (source) => {
    const doc = parse(render(source));
    const hrefs = [...doc.querySelectorAll('[href], [src]')].map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? '');
    for (const href of hrefs) expect(href.replace(/\s/g, '').toLowerCase()).not.toMatch(/^(javascript|vbscript|data):/);
  });

  it('opens safe links in a new tab without an opener', () => {
    const link = parse(render('[docs](https://example.org/a)')).querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://example.org/a');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('escapes inline HTML such as iframes and styles', () => {
    const doc = parse(render('<iframe src="https://example.org"></iframe><style>body{}</style><div style="x">y</div>'));
    expect(doc.querySelector('iframe, style, div')).toBeNull();
  });

  it('falls back to escaped text without a working DOM', () => {
    const renderWithoutDom = createMarkdownRenderer({} as Parameters<typeof createMarkdownRenderer>[0]);
    expect(renderWithoutDom('<b>x</b>')).toBe('<pre>&lt;b&gt;x&lt;/b&gt;</pre>');
  });
});
