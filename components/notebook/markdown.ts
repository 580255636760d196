/**
 * Markdown of notebook cells to safe HTML. markdown-it runs with raw HTML off, so `<script>`
 * or `<img onerror=…>` in the source come out as text, and its link check drops
 * `javascript:`, `vbscript:`, `file:` and most `data:` URLs. DOMPurify then sanitises the
 * HTML, which also covers any gap in markdown-it. Links open in a new tab without an opener.
 */
import createDOMPurify, { type WindowLike } from 'dompurify';
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

const FORBID_TAGS = ['style', 'script', 'iframe', 'object', 'embed', 'form', 'input', 'button', 'textarea', 'select', 'svg', 'math'];

/** Creates a renderer over a DOM window: the page's `window`, or a jsdom window in tests. */
export function createMarkdownRenderer(window: WindowLike): (source: string) => string {
  const purify = createDOMPurify(window);
  if (!purify.isSupported) {
    // DOMPurify returns its input unchanged when it cannot work, so fall back to escaped text.
    return (source) => `<pre>${markdown.utils.escapeHtml(source)}</pre>`;
  }
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  return (source) =>
    purify.sanitize(markdown.render(source), {
      FORBID_TAGS,
      FORBID_ATTR: ['style'],
      ADD_ATTR: ['target'],
      ALLOW_DATA_ATTR: false,
    });
}

let browserRenderer: ((source: string) => string) | null = null;

/** Renders Markdown to sanitised HTML in the browser; returns '' during server rendering. */
export function renderMarkdown(source: string): string {
  if (typeof window === 'undefined') return '';
  browserRenderer ??= createMarkdownRenderer(window);
  return browserRenderer(source);
}
