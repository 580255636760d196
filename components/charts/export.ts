/**
 * Chart export: a self-contained SVG file and a PNG drawn from it through a canvas. The
 * computed styles of every element are written into its style attribute, so the file
 * renders the same without the page's CSS. Browser-only, because both use the DOM and
 * start the download through a temporary link.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Presentation properties copied from the page into the exported file. */
const INLINED_PROPERTIES = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'visibility',
  'display',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
  'shape-rendering',
] as const;

/**
 * Returns a standalone copy of `svg` as a string: computed styles inlined, explicit pixel
 * size, the SVG namespace declared and a white background behind the drawing.
 */
export function serializeSvg(svg: SVGSVGElement): { markup: string; width: number; height: number } {
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;

  // cloneNode keeps the tree shape, so the two element lists line up one to one.
  const originals = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const copies = [copy, ...Array.from(copy.querySelectorAll('*'))];
  originals.forEach((original, i) => inlineStyle(original, copies[i] as SVGElement | HTMLElement));

  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('width', String(Math.ceil(width)));
  copy.setAttribute('height', String(Math.ceil(height)));
  if (!copy.getAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  copy.insertBefore(background, copy.firstChild);

  const markup = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
  return { markup, width: Math.ceil(width), height: Math.ceil(height) };
}

function inlineStyle(original: Element, copy: SVGElement | HTMLElement): void {
  const computed = getComputedStyle(original);
  const declarations = INLINED_PROPERTIES.map((property) => `${property}:${computed.getPropertyValue(property)}`);
  copy.setAttribute('style', declarations.join(';'));
  copy.removeAttribute('class');
}

/** Downloads `svg` as a standalone SVG file. */
export function exportSvg(svg: SVGSVGElement, filename: string): void {
  const { markup } = serializeSvg(svg);
  downloadBlob(new Blob([markup], { type: 'image/svg+xml;charset=utf-8' }), withExtension(filename, 'svg'));
}

/** Draws `svg` onto a canvas at `scale` device pixels per CSS pixel and downloads it as a PNG. */
export async function exportPng(svg: SVGSVGElement, filename: string, scale = 2): Promise<void> {
  if (!(scale > 0)) throw new Error(`Invalid PNG scale ${scale}: use a positive number such as 2.`);
  const { markup, width, height } = serializeSvg(svg);
  const url = URL.createObjectURL(new Blob([markup], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();

    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('PNG export failed: the browser returned no 2D canvas context.');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);

    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error(`PNG export failed: the canvas of ${canvas.width}x${canvas.height} pixels produced no image.`);
    downloadBlob(blob, withExtension(filename, 'png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Returns `filename` with characters that file systems reject replaced, ending in `.extension`. */
export function withExtension(filename: string, extension: string): string {
  const base = filename.replace(/[\\/:*?"<>|\s]+/g, '-').replace(/^-+|-+$/g, '') || 'chart';
  return base.toLowerCase().endsWith(`.${extension}`) ? base : `${base}.${extension}`;
}

function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download reads the URL after this task; revoking at once can cancel it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
