/**
 * Pareto chart: decoding speed (x) against syntax-valid rate (y), one mark per point, with
 * the Pareto front (points no other point beats on both) drawn as a step line over the
 * region it dominates. Points of a group share a colour and a shape; hovering or focusing
 * a point shows its label.
 */
'use client';

import { useMemo, useState } from 'react';
import { curveStepBefore, line, scaleLinear, symbol, symbolsFill } from 'd3';
import { Axis } from './Axis';
import { ChartFrame, ChartSvg } from './ChartFrame';
import { LEGEND_ROW_PX, SwatchLegend, layoutLegend, type LegendItem } from './legends';
import { frontMembership, frontPoints, groupsOf, type ParetoPoint } from './pareto';
import { CHAR_WIDTH_PX, DEFAULT_MARGIN, FONT_SIZE, INK, MUTED_INK, categoricalColor } from './theme';
import { useChartWidth } from './use-chart-width';
import styles from './charts.module.css';

export interface ParetoChartProps {
  points: ParetoPoint[];
  /** Height of the plotting area in pixels; the legend and axes add to it. */
  plotHeight?: number;
}

const FRONT_COLOR = '#1b1f24';
const FRONT_AREA = 'rgba(27, 31, 36, 0.05)';

export function ParetoChart({ points: allPoints, plotHeight = 250 }: ParetoChartProps) {
  const [ref, width] = useChartWidth();
  const [hovered, setHovered] = useState<number | null>(null);
  // A sweep point without finished runs has NaN coordinates and cannot be placed.
  const points = useMemo(() => allPoints.filter((p) => Number.isFinite(p.tokensPerSecond) && Number.isFinite(p.syntaxValidRate)), [allPoints]);
  const skipped = allPoints.length - points.length;
  const onFront = useMemo(() => frontMembership(points), [points]);
  const front = useMemo(() => frontPoints(points), [points]);
  const groups = useMemo(() => groupsOf(points), [points]);

  // Points without a group come after the groups, as "other" when any group is named.
  const groupIndex = (p: ParetoPoint) => (p.group === undefined ? groups.length : groups.indexOf(p.group));
  const ungrouped = groups.length > 0 && points.some((p) => p.group === undefined);
  const legendItems: LegendItem[] = [
    ...groups.map((g, i) => ({ label: g, color: categoricalColor(i), shape: 'symbol' as const, symbolIndex: i })),
    ...(ungrouped ? [{ label: 'other', color: categoricalColor(groups.length), shape: 'symbol' as const, symbolIndex: groups.length }] : []),
    { label: 'Pareto front', color: FRONT_COLOR, shape: 'line' },
  ];
  const legendRows = layoutLegend(legendItems, Math.max(1, width - DEFAULT_MARGIN.left - DEFAULT_MARGIN.right)).rows;
  const margin = { ...DEFAULT_MARGIN, top: 14 + legendRows * LEGEND_ROW_PX, right: 20 };
  const plotWidth = Math.max(0, width - margin.left - margin.right);
  const height = margin.top + plotHeight + margin.bottom;

  const maxSpeed = Math.max(1, ...points.map((p) => p.tokensPerSecond).filter(Number.isFinite));
  const x = scaleLinear().domain([0, maxSpeed * 1.05]).nice().range([0, plotWidth]);
  const y = scaleLinear().domain([0, 1]).range([plotHeight, 0]);
  const frontLine = line<ParetoPoint>()
    .x((p) => x(p.tokensPerSecond))
    .y((p) => y(p.syntaxValidRate))
    .curve(curveStepBefore);
  const dominatedArea =
    front.length > 0 ? `${frontLine([{ ...front[0], tokensPerSecond: 0 }, ...front, { ...front[front.length - 1], syntaxValidRate: 0 }])}L0,${plotHeight}Z` : '';

  return (
    <ChartFrame
      title='Speed vs syntax-valid rate'
      testId='chart-pareto'
      filename='pareto'
      note={`${front.length} of ${points.length} points on the Pareto front (higher is better on both axes)${skipped > 0 ? `; ${skipped} without results not shown` : ''}`}
    >
      <div ref={ref} className={styles.plot}>
        {points.length === 0 ? <p className={styles.empty}>No points to plot.</p> : null}
        {width > 0 && points.length > 0 ? (
          <ChartSvg
            width={width}
            height={height}
            title='Decoded tokens per second against syntax-valid rate, with the Pareto front'
            description={`Pareto front: ${front.map((p) => p.label).join(', ')}.`}
          >
            <SwatchLegend items={legendItems} width={plotWidth} x={margin.left} y={6} />
            <g transform={`translate(${margin.left},${margin.top})`}>
              <Axis orient='left' scale={y} tickFormat={(v) => `${Math.round(v * 100)}%`} gridLength={plotWidth} label='syntax-valid rate' />
              <g transform={`translate(0,${plotHeight})`}>
                <Axis orient='bottom' scale={x} label='decoded tokens / s' />
              </g>
              <path d={dominatedArea} fill={FRONT_AREA} stroke='none' />
              <path d={frontLine(front) ?? ''} fill='none' stroke={FRONT_COLOR} strokeWidth={1.5} data-testid='pareto-front-line' />
              {points.map((p, i) => (
                <g
                  key={i}
                  className={styles.point}
                  transform={`translate(${x(p.tokensPerSecond)},${y(p.syntaxValidRate)})`}
                  data-testid='pareto-point'
                  data-label={p.label}
                  data-front={onFront[i] ? 'true' : 'false'}
                  tabIndex={0}
                  role='img'
                  aria-label={pointText(p, onFront[i])}
                  onMouseEnter={() => setHovered(i)}
                  onMouseLeave={() => setHovered(null)}
                  onFocus={() => setHovered(i)}
                  onBlur={() => setHovered(null)}
                >
                  <path
                    d={symbol(symbolsFill[groupIndex(p) % symbolsFill.length], onFront[i] ? 110 : 60)() ?? ''}
                    fill={categoricalColor(groupIndex(p))}
                    fillOpacity={onFront[i] ? 1 : 0.55}
                    stroke={onFront[i] ? INK : 'none'}
                    strokeWidth={1.5}
                  />
                  <title>{pointText(p, onFront[i])}</title>
                </g>
              ))}
              {hovered !== null && points[hovered] ? (
                <HoverLabel text={points[hovered].label} x={x(points[hovered].tokensPerSecond)} y={y(points[hovered].syntaxValidRate)} plotWidth={plotWidth} />
              ) : null}
            </g>
          </ChartSvg>
        ) : null}
      </div>
    </ChartFrame>
  );
}

function pointText(p: ParetoPoint, front: boolean): string {
  const group = p.group === undefined ? '' : ` (${p.group})`;
  return `${p.label}${group}: ${p.tokensPerSecond.toFixed(0)} tokens/s, ${(p.syntaxValidRate * 100).toFixed(0)}% syntax-valid${front ? ', on the Pareto front' : ''}`;
}

/** Draws the hovered point's label in a white box, left of the point when near the right edge. */
function HoverLabel({ text, x, y, plotWidth }: { text: string; x: number; y: number; plotWidth: number }) {
  const boxWidth = text.length * CHAR_WIDTH_PX + 10;
  const left = x + 10 + boxWidth > plotWidth ? x - 10 - boxWidth : x + 10;
  const top = y < 24 ? y + 8 : y - 26;
  return (
    <g className={styles.tooltip} data-testid='pareto-hover-label' transform={`translate(${left},${top})`} fontSize={FONT_SIZE}>
      <rect width={boxWidth} height={18} rx={3} fill='#ffffff' stroke={MUTED_INK} strokeWidth={0.75} />
      <text x={5} y={9} dy='0.32em' fill={INK}>
        {text}
      </text>
    </g>
  );
}
