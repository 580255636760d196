/**
 * GIF export of a trajectory's playback: each frame is the token grid at one step, drawn
 * on a 2D canvas in the player's colours and encoded with gifenc.
 *
 * gifenc needs indexed frames. One palette of 255 colours is quantised from three sample
 * frames (start, middle, end) and every frame is mapped to it, which keeps the flat cell
 * colours exact. Antialiased text edges get the nearest palette colour. After the first
 * frame, pixels that did not change get the 256th, transparent index and the frame keeps
 * the previous one underneath, so a frame costs little more than the cells it changes.
 * Long trajectories are sampled down to `maxFrames` evenly spaced steps, and wide
 * canvases get more, smaller cells.
 */
import { applyPalette, GIFEncoder, quantize, type Palette } from 'gifenc';
import { visibleWhitespace } from '../token-label';
import { EventTable, FrameCursor, type CellState, type FrameSource } from './frames';
import { confidenceAlpha, DEFAULT_PLAYER_COLORS, type PlayerColors } from './palette';

export interface GifOptions {
  /** EOS and pad ids, drawn as the end of the sequence. */
  endIds: readonly number[];
  tokenText: (id: number) => string;
  colors?: PlayerColors;
  /** Playback speed in steps per second, which sets the frame delay. */
  stepsPerSecond?: number;
  maxFrames?: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

interface GridGeometry {
  columns: number;
  cellWidth: number;
  cellHeight: number;
  gap: number;
  padding: number;
  header: number;
  width: number;
  height: number;
  fontPx: number;
  /** Characters that fit in a cell, 0 when cells are too small for text. */
  charsPerCell: number;
}

export const DEFAULT_MAX_FRAMES = 150;
// WebKit and Firefox play a GIF delay of 10 ms or less as 100 ms (WebKit's ImageSource),
// and delays count hundredths of a second, so 20 ms is the shortest delay kept as written.
const MIN_FRAME_DELAY_MS = 20;
const FINAL_FRAME_HOLD_MS = 1500;
// Palette index of unchanged pixels. The quantised colours take indices 0-254.
const TRANSPARENT_INDEX = 255;

export function gridGeometry(genLength: number): GridGeometry {
  const wide = genLength > 256;
  const columns = wide ? 32 : 16;
  const cellWidth = wide ? 24 : 48;
  const cellHeight = wide ? 12 : 20;
  const gap = 2;
  const padding = 8;
  const header = 20;
  const rows = Math.max(1, Math.ceil(genLength / columns));
  const fontPx = 11;
  // Monospace digits and letters at 11 px are about 6.6 px wide.
  const charsPerCell = wide ? 0 : Math.floor((cellWidth - 6) / 6.6);
  return {
    columns,
    cellWidth,
    cellHeight,
    gap,
    padding,
    header,
    width: padding * 2 + columns * cellWidth + (columns - 1) * gap,
    height: padding * 2 + header + rows * cellHeight + (rows - 1) * gap,
    fontPx,
    charsPerCell,
  };
}

/** Returns the steps drawn as frames: all of 0 … stepCount, or `maxFrames` of them evenly spaced. */
export function frameSteps(stepCount: number, maxFrames: number): number[] {
  if (maxFrames < 2) throw new Error(`[export-gif] invalid maxFrames ${maxFrames}: expected at least 2`);
  if (stepCount + 1 <= maxFrames) return Array.from({ length: stepCount + 1 }, (_, k) => k);
  const steps = Array.from({ length: maxFrames }, (_, i) => Math.round((i * stepCount) / (maxFrames - 1)));
  return [...new Set(steps)];
}

function hatch(context: CanvasRenderingContext2D, a: string, b: string): CanvasPattern | string {
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  const tileContext = tile.getContext('2d');
  if (tileContext === null) return a;
  tileContext.fillStyle = b;
  tileContext.fillRect(0, 0, 8, 8);
  tileContext.strokeStyle = a;
  tileContext.lineWidth = 3;
  tileContext.beginPath();
  for (let offset = -8; offset <= 16; offset += 8) {
    tileContext.moveTo(offset, 8);
    tileContext.lineTo(offset + 8, 0);
  }
  tileContext.stroke();
  return context.createPattern(tile, 'repeat') ?? a;
}

class GridPainter {
  private readonly context: CanvasRenderingContext2D;
  private readonly geometry: GridGeometry;
  private readonly colors: PlayerColors;
  private readonly masked: CanvasPattern | string;
  private readonly remasked: CanvasPattern | string;

  constructor(context: CanvasRenderingContext2D, geometry: GridGeometry, colors: PlayerColors) {
    this.context = context;
    this.geometry = geometry;
    this.colors = colors;
    this.masked = hatch(context, colors.maskedA, colors.maskedB);
    this.remasked = hatch(context, colors.remaskedA, colors.remaskedB);
  }

  paint(cursor: FrameCursor, endIds: ReadonlySet<number>, tokenText: (id: number) => string, stepCount: number): void {
    const { context: ctx, geometry: g, colors } = this;
    ctx.fillStyle = colors.surface;
    ctx.fillRect(0, 0, g.width, g.height);
    ctx.font = `${g.fontPx}px ui-monospace, 'DejaVu Sans Mono', Menlo, monospace`;
    ctx.textBaseline = 'middle';
    ctx.fillStyle = colors.muted;
    ctx.fillText(`step ${cursor.step} / ${stepCount}`, g.padding, g.padding + g.header / 2 - 2);

    for (let p = 0; p < cursor.table.genLength; p++) {
      const x = g.padding + (p % g.columns) * (g.cellWidth + g.gap);
      const y = g.padding + g.header + Math.floor(p / g.columns) * (g.cellHeight + g.gap);
      const state = cursor.cellState(p, endIds);
      this.paintCell(x, y, state, cursor.confidence(p));
      const token = cursor.token(p);
      if (g.charsPerCell > 0 && token !== cursor.table.maskId) {
        const label = visibleWhitespace(tokenText(token)).slice(0, g.charsPerCell);
        ctx.fillStyle = state === 'end' ? colors.muted : colors.text;
        ctx.fillText(label, x + 3, y + g.cellHeight / 2 + 1);
      }
    }
  }

  private paintCell(x: number, y: number, state: CellState, confidence: number): void {
    const { context: ctx, geometry: g, colors } = this;
    const fills: Record<CellState, CanvasPattern | string> = {
      masked: this.masked,
      remasked: this.remasked,
      new: colors.newBg,
      settled: `rgb(${colors.settledRgb} / ${confidenceAlpha(confidence).toFixed(3)})`,
      edited: `rgb(${colors.editedRgb} / ${confidenceAlpha(confidence).toFixed(3)})`,
      end: colors.endBg,
    };
    ctx.fillStyle = fills[state];
    ctx.fillRect(x, y, g.cellWidth, g.cellHeight);

    const edges: Partial<Record<CellState, string>> = { new: colors.newEdge, edited: colors.editedEdge, remasked: colors.remaskedEdge };
    const edge = edges[state];
    if (edge !== undefined) {
      ctx.strokeStyle = edge;
      ctx.lineWidth = 1;
      ctx.strokeRect(x + 0.5, y + 0.5, g.cellWidth - 1, g.cellHeight - 1);
    }
  }
}

/** Sets the transparent index wherever a pixel equals the previous frame's. */
function markUnchanged(index: Uint8Array, pixels: Uint8ClampedArray, previous: Uint8ClampedArray): void {
  for (let i = 0; i < index.length; i++) {
    const o = i * 4;
    if (pixels[o] === previous[o] && pixels[o + 1] === previous[o + 1] && pixels[o + 2] === previous[o + 2]) index[i] = TRANSPARENT_INDEX;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('GIF export aborted', 'AbortError');
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Renders the trajectory's playback as an animated GIF and returns its bytes. */
export async function renderTrajectoryGif(trajectory: FrameSource, options: GifOptions): Promise<Uint8Array> {
  const table = new EventTable(trajectory);
  const cursor = new FrameCursor(table);
  const geometry = gridGeometry(table.genLength);
  const canvas = document.createElement('canvas');
  canvas.width = geometry.width;
  canvas.height = geometry.height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('[export-gif] the browser returned no 2D canvas context');

  const painter = new GridPainter(context, geometry, options.colors ?? DEFAULT_PLAYER_COLORS);
  const endIds = new Set(options.endIds);
  const steps = frameSteps(table.stepCount, options.maxFrames ?? DEFAULT_MAX_FRAMES);
  const pixelsAt = (step: number) => {
    cursor.seek(step);
    painter.paint(cursor, endIds, options.tokenText, table.stepCount);
    return context.getImageData(0, 0, geometry.width, geometry.height).data;
  };

  // One palette for every frame, from the start, middle and end of the run.
  const samples = [0, steps[Math.floor(steps.length / 2)], table.stepCount].map(pixelsAt);
  const joined = new Uint8ClampedArray(samples.reduce((n, s) => n + s.length, 0));
  let offset = 0;
  for (const sample of samples) {
    joined.set(sample, offset);
    offset += sample.length;
  }
  const palette: Palette = quantize(joined, TRANSPARENT_INDEX);
  while (palette.length < TRANSPARENT_INDEX) palette.push([0, 0, 0]);
  palette.push([255, 0, 255]);

  const stepMs = 1000 / (options.stepsPerSecond ?? 10);
  const gif = GIFEncoder();
  let previous: Uint8ClampedArray | null = null;
  for (let i = 0; i < steps.length; i++) {
    throwIfAborted(options.signal);
    const stride = i + 1 < steps.length ? steps[i + 1] - steps[i] : 1;
    const hold = i + 1 === steps.length ? FINAL_FRAME_HOLD_MS : 0;
    const pixels = pixelsAt(steps[i]);
    const index = applyPalette(pixels, palette);
    if (previous !== null) markUnchanged(index, pixels, previous);
    gif.writeFrame(index, geometry.width, geometry.height, {
      palette: i === 0 ? palette : undefined,
      delay: Math.max(MIN_FRAME_DELAY_MS, stepMs * stride) + hold,
      transparent: previous !== null,
      transparentIndex: TRANSPARENT_INDEX,
      // 1: leave the frame in place, so the next one draws over it.
      dispose: 1,
    });
    previous = pixels;
    options.onProgress?.((i + 1) / steps.length);
    if (i % 4 === 3) await nextTask();
  }
  gif.finish();
  return gif.bytes();
}

/** Offers `bytes` to the user as a file download. */
export function downloadBytes(bytes: Uint8Array, filename: string, type: string): void {
  const blob = new Blob([bytes.slice().buffer], { type });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Renders the trajectory's playback as a GIF and downloads it as trajectory.gif. */
export async function exportTrajectoryGif(trajectory: FrameSource, options: GifOptions): Promise<void> {
  const bytes = await renderTrajectoryGif(trajectory, options);
  downloadBytes(bytes, 'trajectory.gif', 'image/gif');
}
