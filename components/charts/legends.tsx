/**
 * Legends drawn inside a chart's SVG, so exported files keep them: swatches for series
 * (wrapped onto several rows when the chart is narrow) and a gradient bar for a
 * sequential colour scale.
 */
import { useId } from 'react';
import { scaleLinear, symbol, symbolsFill } from 'd3';
import { CHAR_WIDTH_PX, FONT_SIZE, INK, MUTED_INK } from './theme';

const SWATCH_PX = 12;
const ITEM_GAP_PX = 14;
export const LEGEND_ROW_PX = 18;
const SWATCH_EDGE = '#aab3bf';

export interface LegendItem {
  label: string;
  color: string;
  /**
   * Swatch shape: a filled square (the default), a line with an optional dash pattern, a
   * d3 symbol, or the dot, cross and diamond marks of the confidence heatmap.
   */
  shape?: 'square' | 'line' | 'dot' | 'cross' | 'diamond' | 'symbol';
  dash?: string;
  /** Index into d3's `symbolsFill` when shape is 'symbol'. */
  symbolIndex?: number;
}

interface PlacedItem extends LegendItem {
  x: number;
  row: number;
}

/** Places legend items left to right, starting a new row when one would pass `width`. */
export function layoutLegend(items: LegendItem[], width: number): { placed: PlacedItem[]; rows: number } {
  const placed: PlacedItem[] = [];
  let x = 0;
  let row = 0;
  for (const item of items) {
    const itemWidth = SWATCH_PX + 4 + item.label.length * CHAR_WIDTH_PX;
    if (x > 0 && x + itemWidth > width) {
      x = 0;
      row++;
    }
    placed.push({ ...item, x, row });
    x += itemWidth + ITEM_GAP_PX;
  }
  return { placed, rows: items.length === 0 ? 0 : row + 1 };
}

export function SwatchLegend({ items, width, x = 0, y = 0 }: { items: LegendItem[]; width: number; x?: number; y?: number }) {
  const { placed } = layoutLegend(items, width);
  return (
    <g className='legend' transform={`translate(${x},${y})`} fontSize={FONT_SIZE} fill={INK}>
      {placed.map((item) => (
        <g key={`${item.label}-${item.row}-${item.x}`} transform={`translate(${item.x},${item.row * LEGEND_ROW_PX})`}>
          <Swatch item={item} />
          <text x={SWATCH_PX + 4} y={SWATCH_PX / 2} dy='0.32em'>
            {item.label}
          </text>
        </g>
      ))}
    </g>
  );
}

export interface GradientLegendProps {
  /** Maps t in [0, 1] to a colour. */
  interpolate: (t: number) => string;
  domain: [number, number];
  width: number;
  title: string;
  tickFormat?: (value: number) => string;
  x?: number;
  y?: number;
}

/** Draws a horizontal colour bar with ticks under it and its title above its left end. */
export function GradientLegend({ interpolate, domain, width, title, tickFormat, x = 0, y = 0 }: GradientLegendProps) {
  const gradientId = `gradient-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const scale = scaleLinear().domain(domain).range([0, width]);
  const stops = Array.from({ length: 11 }, (_, i) => i / 10);
  const ticks = scale.ticks(Math.max(2, Math.floor(width / 50)));
  const format = tickFormat ?? scale.tickFormat();

  return (
    <g className='legend' transform={`translate(${x},${y})`} fontSize={FONT_SIZE} fill={INK}>
      <defs>
        <linearGradient id={gradientId}>
          {stops.map((t) => (
            <stop key={t} offset={`${t * 100}%`} stopColor={interpolate(t)} />
          ))}
        </linearGradient>
      </defs>
      <text y={-6} fill={MUTED_INK}>
        {title}
      </text>
      <rect width={width} height={10} fill={`url(#${gradientId})`} />
      {ticks.map((value) => (
        <g key={value} transform={`translate(${scale(value)},10)`}>
          <line y2={3} stroke={MUTED_INK} />
          <text y={14} textAnchor='middle'>
            {format(value)}
          </text>
        </g>
      ))}
    </g>
  );
}

function Swatch({ item }: { item: LegendItem }) {
  const half = SWATCH_PX / 2;
  switch (item.shape) {
    case 'line':
      return <line x1={0} x2={SWATCH_PX} y1={half} y2={half} stroke={item.color} strokeWidth={2.5} strokeDasharray={item.dash || undefined} />;
    case 'dot':
    case 'cross':
    case 'diamond':
      return <Mark shape={item.shape} x={half} y={half} size={SWATCH_PX * 0.8} color={item.color} />;
    case 'symbol':
      return <path transform={`translate(${half},${half})`} d={symbol(symbolsFill[(item.symbolIndex ?? 0) % symbolsFill.length], 70)() ?? ''} fill={item.color} />;
    default:
      return <rect width={SWATCH_PX} height={SWATCH_PX} rx={2} fill={item.color} stroke={SWATCH_EDGE} strokeWidth={0.5} />;
  }
}

export interface MarkProps {
  shape: 'dot' | 'cross' | 'diamond';
  x: number;
  y: number;
  /** Width of the mark in pixels. */
  size: number;
  color: string;
}

/** Draws a small mark centred on (x, y): a ringed dot, a cross or a diamond, outlined in ink to show on any fill. */
export function Mark({ shape, x, y, size, color }: MarkProps) {
  const r = size / 2;
  if (shape === 'dot') return <circle cx={x} cy={y} r={r * 0.75} fill={color} stroke={INK} strokeWidth={Math.min(1, r / 3)} />;
  if (shape === 'cross') {
    return <path d={`M${x - r},${y - r}L${x + r},${y + r}M${x - r},${y + r}L${x + r},${y - r}`} stroke={color} strokeWidth={Math.max(1, r / 2.5)} />;
  }
  return <path d={`M${x},${y - r}L${x + r},${y}L${x},${y + r}L${x - r},${y}Z`} fill={color} stroke={INK} strokeWidth={Math.min(1, r / 3)} />;
}
