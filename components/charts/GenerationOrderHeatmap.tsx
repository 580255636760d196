/**
 * Generation-order heatmap: canvas positions in reading order on a fixed-width grid,
 * coloured by the step at which each position settled, with block boundaries drawn as
 * lines and Kendall's tau of settling step against position (left-to-right order gives 1).
 */
'use client';

import { useMemo } from 'react';
import { scaleSequential } from 'd3';
import { generationOrderTau } from '@/lib/metrics';
import type { Trajectory } from '@/lib/trajectory';
import { ChartFrame, ChartSvg } from './ChartFrame';
import { blockBoundaries, gridColumns, orderCells, type OrderCell } from './generation-order';
import { GradientLegend, SwatchLegend } from './legends';
import { CHAR_WIDTH_PX, FONT_SIZE, INK, MUTED_INK, NO_DATA_FILL, SEQUENTIAL_STEP, formatNumber } from './theme';
import { useChartWidth } from './use-chart-width';
import styles from './charts.module.css';

export interface GenerationOrderHeatmapProps {
  trajectory: Trajectory;
  /** Steps applied so far; positions that settle later are drawn as not settled yet. */
  step?: number;
}

const MARGIN = { top: 84, right: 8, bottom: 8, left: 40 };
const MAX_CELL_HEIGHT_PX = 22;
const PENDING_FILL = '#ffffff';
const PENDING_EDGE = '#c4cbd4';
/** Tokens the starting canvas gave (infill, repair, fork) that no step changed. */
const GIVEN_FILL = '#cbd5e1';

export function GenerationOrderHeatmap({ trajectory, step }: GenerationOrderHeatmapProps) {
  const [ref, width] = useChartWidth();
  const tau = useMemo(() => generationOrderTau(trajectory), [trajectory]);
  const plotWidth = Math.max(0, width - MARGIN.left - MARGIN.right);
  const columns = gridColumns(plotWidth, trajectory.genLength, trajectory.config.blockSize);
  const cells = useMemo(() => orderCells(trajectory, columns), [trajectory, columns]);
  const boundaries = useMemo(() => blockBoundaries(cells, columns), [cells, columns]);

  const stepCount = trajectory.steps.length;
  const color = scaleSequential(SEQUENTIAL_STEP).domain([1, Math.max(2, stepCount)]);
  const cellWidth = plotWidth / columns;
  const cellHeight = Math.min(cellWidth, MAX_CELL_HEIGHT_PX);
  const rows = Math.ceil(trajectory.genLength / columns);
  const height = MARGIN.top + rows * cellHeight + MARGIN.bottom;
  const tauLabel = 'Kendall τ of settling step vs position:';
  const tauValues = `overall ${formatNumber(tau.overall)}, mean per block ${formatNumber(tau.meanPerBlock)}`;
  // One line when it fits the plot, otherwise the values go on a second line.
  const tauOneLine = (tauLabel.length + tauValues.length + 1) * CHAR_WIDTH_PX <= plotWidth;

  const given = (cell: OrderCell) => cell.settleStep === 0 && trajectory.initialCanvas !== undefined && trajectory.initialCanvas[cell.position] !== trajectory.maskId;
  const anyGiven = cells.some(given);
  const anyUndecoded = cells.some((cell) => cell.settleStep === 0 && !given(cell));
  const fillOf = (cell: OrderCell) => {
    if (given(cell)) return GIVEN_FILL;
    if (cell.settleStep === 0) return NO_DATA_FILL;
    if (step !== undefined && cell.settleStep > step) return PENDING_FILL;
    return color(cell.settleStep);
  };
  const titleOf = (cell: OrderCell) => {
    if (given(cell)) return `position ${cell.position}: given, unchanged`;
    if (cell.settleStep === 0) return `position ${cell.position}: not decoded`;
    return `position ${cell.position} (block ${cell.block + 1}): settled at step ${cell.settleStep}`;
  };

  return (
    <ChartFrame title='Generation order' testId='chart-order' filename='generation-order'>
      <div ref={ref} className={styles.plot}>
        {width > 0 ? (
          <ChartSvg
            width={width}
            height={height}
            title='Step at which each canvas position settled'
            description={`${trajectory.genLength} positions in rows of ${columns}; colour is the settling step from 1 to ${stepCount}. ${tauLabel} ${tauValues}.`}
          >
            <GradientLegend
              interpolate={SEQUENTIAL_STEP}
              domain={[1, Math.max(2, stepCount)]}
              width={Math.min(220, plotWidth * 0.55)}
              title='settled at step'
              tickFormat={(v) => (Number.isInteger(v) ? String(v) : '')}
              x={MARGIN.left}
              y={18}
            />
            <SwatchLegend
              items={[
                ...(step !== undefined ? [{ label: 'later', color: PENDING_FILL }] : []),
                ...(anyGiven ? [{ label: 'given, unchanged', color: GIVEN_FILL }] : []),
                ...(anyUndecoded || !anyGiven ? [{ label: 'not decoded', color: NO_DATA_FILL }] : []),
              ]}
              width={plotWidth * 0.4}
              x={MARGIN.left + Math.min(220, plotWidth * 0.55) + 16}
              y={16}
            />
            <text x={MARGIN.left} y={tauOneLine ? MARGIN.top - 10 : MARGIN.top - 22} fill={INK} fontSize={FONT_SIZE} data-testid='order-tau'>
              <tspan>{tauLabel}</tspan>
              <tspan x={tauOneLine ? undefined : MARGIN.left} dx={tauOneLine ? 4 : undefined} dy={tauOneLine ? undefined : 13} fontWeight={600}>
                {tauValues}
              </tspan>
            </text>
            <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
              {Array.from({ length: rows }, (_, row) => (
                <text key={row} x={-6} y={(row + 0.5) * cellHeight} dy='0.32em' textAnchor='end' fill={MUTED_INK}>
                  {row * columns}
                </text>
              ))}
              {cells.map((cell) => (
                <rect
                  key={cell.position}
                  x={cell.column * cellWidth}
                  y={cell.row * cellHeight}
                  width={cellWidth}
                  height={cellHeight}
                  fill={fillOf(cell)}
                  shapeRendering='crispEdges'
                  stroke={fillOf(cell) === PENDING_FILL ? PENDING_EDGE : '#ffffff'}
                  strokeWidth={cellWidth > 6 ? 0.5 : 0}
                  data-settle-step={cell.settleStep}
                >
                  <title>{titleOf(cell)}</title>
                </rect>
              ))}
              {boundaries.map((s, i) => (
                <line key={i} x1={s.x1 * cellWidth} y1={s.y1 * cellHeight} x2={s.x2 * cellWidth} y2={s.y2 * cellHeight} stroke={INK} strokeWidth={1.5} strokeLinecap='square' />
              ))}
            </g>
          </ChartSvg>
        ) : null}
      </div>
    </ChartFrame>
  );
}
