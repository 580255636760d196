/**
 * Colours, type sizes and margins shared by the charts.
 *
 * Categorical series use the Okabe-Ito palette (Okabe and Ito, "Color Universal Design",
 * 2008), whose eight colours stay distinguishable under the common colour-vision
 * deficiencies. Sequential data use viridis (settling step) and cividis (confidence) from
 * d3-scale-chromatic, both designed to read in greyscale and for colour-blind viewers.
 */
import { interpolateCividis, interpolateViridis } from 'd3';

/** Okabe-Ito colours without black, in the order runs and groups take them. */
export const CATEGORICAL = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'] as const;

/** Returns the categorical colour of the i-th run or group, cycling after seven. */
export function categoricalColor(index: number): string {
  return CATEGORICAL[((index % CATEGORICAL.length) + CATEGORICAL.length) % CATEGORICAL.length];
}

/** Dash patterns that distinguish runs without colour. The i-th run takes DASHES[i % 4]. */
export const DASHES = ['', '6 3', '2 3', '8 3 2 3'] as const;

export const SEQUENTIAL_STEP = interpolateViridis;
export const SEQUENTIAL_CONFIDENCE = interpolateCividis;

/** Colours of the edit-operation kinds, also Okabe-Ito. */
export const EDIT_COLORS = {
  reveal: '#56B4E9',
  substitution: '#E69F00',
  remask: '#CC79A7',
  insertion: '#009E73',
  deletion: '#D55E00',
} as const;

/** Marks for the current step and other highlights; vermillion contrasts with viridis and cividis. */
export const MARKER_COLOR = '#D55E00';

export const INK = '#1b1f24';
export const MUTED_INK = '#5f6b7a';
export const GRID_LINE = '#e3e7ec';
export const NO_DATA_FILL = '#f1f3f6';

export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
export const FONT_SIZE = 11;
/** Rough width of one character at FONT_SIZE, for placing labels without measuring text. */
export const CHAR_WIDTH_PX = 6.2;

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Default plot margins: room for tick labels on the left and an axis title below. */
export const DEFAULT_MARGIN: Margin = { top: 12, right: 16, bottom: 40, left: 48 };

/** Returns the inner plot size of a chart of the given outer size, never negative. */
export function innerSize(width: number, height: number, margin: Margin): { width: number; height: number } {
  return { width: Math.max(0, width - margin.left - margin.right), height: Math.max(0, height - margin.top - margin.bottom) };
}

/** Formats a number for chart labels: NaN as "n/a", otherwise with `digits` decimals. */
export function formatNumber(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}
