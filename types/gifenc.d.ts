/**
 * Types for gifenc 1.0.3 (a pure-JavaScript GIF encoder that ships no declarations),
 * covering the functions its README documents.
 */
declare module 'gifenc' {
  export type ColorFormat = 'rgb565' | 'rgb444' | 'rgba4444';
  /** Colours as [r, g, b] or, for rgba4444, [r, g, b, a], each 0-255. */
  export type Palette = number[][];

  export interface QuantizeOptions {
    format?: ColorFormat;
    oneBitAlpha?: boolean | number;
    clearAlpha?: boolean;
    clearAlphaThreshold?: number;
    clearAlphaColor?: number;
  }

  export interface WriteFrameOptions {
    /** Colour table, required for the first frame, which makes it the global table. */
    palette?: Palette;
    first?: boolean;
    transparent?: boolean;
    transparentIndex?: number;
    /** Frame delay in milliseconds, stored in hundredths of a second. */
    delay?: number;
    /** -1 plays once, 0 loops forever, n > 0 repeats n more times. */
    repeat?: number;
    dispose?: number;
  }

  export interface GifEncoder {
    writeFrame(index: Uint8Array, width: number, height: number, options?: WriteFrameOptions): void;
    finish(): void;
    /** Copy of the encoded bytes. */
    bytes(): Uint8Array;
    /** View of the encoded bytes without a copy. */
    bytesView(): Uint8Array;
    writeHeader(): void;
    reset(): void;
    readonly buffer: ArrayBuffer;
  }

  export function GIFEncoder(options?: { auto?: boolean; initialCapacity?: number }): GifEncoder;
  export function quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, options?: QuantizeOptions): Palette;
  /** Returns, per pixel, the index of the nearest palette colour. */
  export function applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette, format?: ColorFormat): Uint8Array;
  export function nearestColorIndex(palette: Palette, pixel: number[]): number;
  export function nearestColorIndexWithDistance(palette: Palette, pixel: number[]): [number, number];
  export function snapColorsToPalette(palette: Palette, knownColors: number[][], threshold?: number): void;
  export default GIFEncoder;
}
