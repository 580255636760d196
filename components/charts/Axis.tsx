/**
 * Axes drawn by React from d3 linear scales: tick positions and labels come from the
 * scale, and the tick count follows the axis length so labels do not collide on narrow
 * screens.
 */
import type { ScaleLinear } from 'd3';
import { FONT_SIZE, GRID_LINE, INK, MUTED_INK } from './theme';

/** Minimum pixels between the ticks of a numeric axis: labels are wider than they are tall. */
const TICK_SPACING_PX = { bottom: 56, left: 24 } as const;

export interface AxisProps {
  orient: 'bottom' | 'left';
  scale: ScaleLinear<number, number>;
  /** Axis title, drawn under a bottom axis or rotated beside a left one. */
  label?: string;
  tickFormat?: (value: number) => string;
  /** Upper bound of the tick count; integer axes (steps) pass their domain size. */
  maxTicks?: number;
  /** Keeps only whole-number ticks, for steps and counts. */
  integer?: boolean;
  /** Draws grid lines of this length across the plot (its height or width). */
  gridLength?: number;
  /** Pixels from the axis line to the title. */
  labelOffset?: number;
}

interface Tick {
  key: string;
  offset: number;
  text: string;
}

function ticksOf(props: AxisProps): Tick[] {
  const { scale, tickFormat, maxTicks, orient, integer } = props;
  const [start, end] = scale.range();
  const count = Math.max(2, Math.min(maxTicks ?? Infinity, Math.floor(Math.abs(end - start) / TICK_SPACING_PX[orient])));
  const format = tickFormat ?? scale.tickFormat(count);
  const values = scale.ticks(count).filter((value) => !integer || Number.isInteger(value));
  return values.map((value) => ({ key: String(value), offset: scale(value), text: format(value) }));
}

export function Axis(props: AxisProps) {
  const { orient, scale, label, gridLength, labelOffset } = props;
  const ticks = ticksOf(props);
  const [rangeStart, rangeEnd] = scale.range();
  const bottom = orient === 'bottom';

  return (
    <g className='axis' fontSize={FONT_SIZE} fill={INK}>
      {gridLength
        ? ticks.map((tick) =>
            bottom ? (
              <line key={`grid-${tick.key}`} x1={tick.offset} x2={tick.offset} y1={0} y2={-gridLength} stroke={GRID_LINE} />
            ) : (
              <line key={`grid-${tick.key}`} x1={0} x2={gridLength} y1={tick.offset} y2={tick.offset} stroke={GRID_LINE} />
            ),
          )
        : null}
      {bottom ? (
        <line x1={rangeStart} x2={rangeEnd} stroke={MUTED_INK} />
      ) : (
        <line y1={rangeStart} y2={rangeEnd} stroke={MUTED_INK} />
      )}
      {ticks.map((tick) =>
        bottom ? (
          <g key={tick.key} transform={`translate(${tick.offset},0)`}>
            <line y2={4} stroke={MUTED_INK} />
            <text y={15} textAnchor='middle'>
              {tick.text}
            </text>
          </g>
        ) : (
          <g key={tick.key} transform={`translate(0,${tick.offset})`}>
            <line x2={-4} stroke={MUTED_INK} />
            <text x={-7} dy='0.32em' textAnchor='end'>
              {tick.text}
            </text>
          </g>
        ),
      )}
      {label ? (
        bottom ? (
          <text x={(rangeStart + rangeEnd) / 2} y={labelOffset ?? 32} textAnchor='middle' fill={MUTED_INK}>
            {label}
          </text>
        ) : (
          <text transform={`rotate(-90) translate(${-(rangeStart + rangeEnd) / 2},${-(labelOffset ?? 36)})`} textAnchor='middle' fill={MUTED_INK}>
            {label}
          </text>
        )
      ) : null}
    </g>
  );
}
