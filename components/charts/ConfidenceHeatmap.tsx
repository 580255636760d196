/**
 * Confidence heatmap: steps down, canvas positions across. A cell is coloured by the
 * probability of the token the model proposed for a position that was masked when the
 * step began. Marks show what the step did there (revealed, remasked or edited). Steps
 * after the current one are veiled and the current step's row is outlined.
 */
'use client';

import { memo, useMemo } from 'react';
import { scaleLinear, scaleSequential } from 'd3';
import type { Trajectory } from '@/lib/trajectory';
import { Axis } from './Axis';
import { ChartFrame, ChartSvg } from './ChartFrame';
import { confidenceMatrix, type ConfidenceMatrix, type StepMark } from './confidence-matrix';
import { GradientLegend, Mark, SwatchLegend, type LegendItem } from './legends';
import { GRID_LINE, INK, MARKER_COLOR, SEQUENTIAL_CONFIDENCE } from './theme';
import { useChartWidth } from './use-chart-width';
import styles from './charts.module.css';

export interface ConfidenceHeatmapProps {
  trajectory: Trajectory;
  /** Steps applied so far: rows after it are veiled and its row is outlined. */
  step?: number;
}

const MARGIN = { top: 64, right: 10, bottom: 40, left: 44 };
const FUTURE_VEIL_OPACITY = 0.7;
/** Smallest mark drawn as a shape, in pixels. */
const MIN_MARK_PX = 3;

const MARKS: Record<StepMark['kind'], { shape: 'dot' | 'cross' | 'diamond'; color: string; label: string }> = {
  unmask: { shape: 'dot', color: '#ffffff', label: 'revealed' },
  remask: { shape: 'cross', color: INK, label: 'remasked' },
  edit: { shape: 'diamond', color: '#E69F00', label: 'edited' },
};

/** Row height in pixels: 14 for short runs, shrinking for long ones but never below 3. */
function rowHeight(steps: number): number {
  return steps <= 32 ? 14 : Math.max(3, Math.floor(448 / steps));
}

export function ConfidenceHeatmap({ trajectory, step }: ConfidenceHeatmapProps) {
  const [ref, width] = useChartWidth();
  const matrix = useMemo(() => confidenceMatrix(trajectory), [trajectory]);
  const plotWidth = Math.max(0, width - MARGIN.left - MARGIN.right);
  const cellHeight = rowHeight(matrix.steps);
  const plotHeight = Math.max(1, matrix.steps) * cellHeight;
  const height = MARGIN.top + plotHeight + MARGIN.bottom;

  const x = scaleLinear().domain([0, Math.max(1, matrix.positions)]).range([0, plotWidth]);
  const y = scaleLinear().domain([0.5, matrix.steps + 0.5]).range([0, plotHeight]);
  const kinds = new Set(matrix.marks.map((m) => m.kind));
  const legendItems: LegendItem[] = (Object.keys(MARKS) as StepMark['kind'][])
    .filter((kind) => kinds.has(kind))
    .map((kind) => ({ label: MARKS[kind].label, color: MARKS[kind].color, shape: MARKS[kind].shape }));
  const gradientWidth = Math.min(200, plotWidth * 0.5);

  return (
    <ChartFrame title='Proposal confidence per step' testId='chart-confidence' filename='confidence-heatmap'>
      <div ref={ref} className={styles.plot}>
        {width > 0 ? (
          <ChartSvg
            width={width}
            height={height}
            title='Confidence of the proposed token at each masked position, per step'
            description={`${matrix.steps} steps (rows) by ${matrix.positions} positions (columns). Colour: probability of the proposed token, 0 to 1. Marks: tokens revealed, remasked or edited at that step.`}
          >
            <GradientLegend interpolate={SEQUENTIAL_CONFIDENCE} domain={[0, 1]} width={gradientWidth} title='proposal confidence' x={MARGIN.left} y={18} />
            <SwatchLegend items={legendItems} width={Math.max(60, plotWidth - gradientWidth - 16)} x={MARGIN.left + gradientWidth + 16} y={14} />
            <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
              {trajectory.blocks
                .filter((b) => b.start > 0 && b.start < matrix.positions)
                .map((b) => (
                  <line key={b.start} x1={x(b.start)} x2={x(b.start)} y1={0} y2={plotHeight} stroke={GRID_LINE} strokeWidth={1} />
                ))}
              <MatrixLayer matrix={matrix} plotWidth={plotWidth} cellHeight={cellHeight} />
              {step !== undefined && step < matrix.steps ? (
                // Steps not applied yet are veiled, so the cells need not redraw as the step moves.
                <rect x={0} y={y(step + 0.5)} width={plotWidth} height={plotHeight - y(step + 0.5)} fill='#ffffff' opacity={FUTURE_VEIL_OPACITY} data-testid='future-veil' />
              ) : null}
              {step !== undefined && step >= 1 && step <= matrix.steps ? (
                <rect data-testid='step-marker' x={-2} y={y(step - 0.5)} width={plotWidth + 4} height={cellHeight} fill='none' stroke={MARKER_COLOR} strokeWidth={1.5} />
              ) : null}
              <Axis orient='left' scale={y} maxTicks={matrix.steps} integer tickFormat={String} label='step' labelOffset={32} />
              <g transform={`translate(0,${plotHeight})`}>
                <Axis orient='bottom' scale={x} integer tickFormat={String} label='canvas position' />
              </g>
            </g>
          </ChartSvg>
        ) : null}
      </div>
    </ChartFrame>
  );
}

interface MatrixLayerProps {
  matrix: ConfidenceMatrix;
  plotWidth: number;
  cellHeight: number;
}

/**
 * Draws the cells and marks, memoised because there is one rect per proposal.
 * NOTE: a whole-sequence run of 1,024 tokens can make ~500k proposals; SVG at that size is
 * unmeasured and may need a canvas layer instead.
 */
const MatrixLayer = memo(function MatrixLayer({ matrix, plotWidth, cellHeight }: MatrixLayerProps) {
  const cellWidth = plotWidth / Math.max(1, matrix.positions);
  const x = (position: number) => position * cellWidth;
  const top = (step: number) => (step - 1) * cellHeight;
  const color = scaleSequential(SEQUENTIAL_CONFIDENCE).domain([0, 1]);
  const markSize = Math.min(cellWidth, cellHeight) * 0.7;

  return (
    <g>
      {matrix.cells.map((cell) => (
        <rect
          key={`${cell.step}-${cell.position}`}
          x={x(cell.position)}
          y={top(cell.step)}
          width={Math.max(cellWidth, 0.5)}
          height={cellHeight}
          fill={color(cell.confidence)}
          shapeRendering='crispEdges'
        >
          <title>{`step ${cell.step}, position ${cell.position}: proposal confidence ${cell.confidence.toFixed(3)}`}</title>
        </rect>
      ))}
      {matrix.marks.map((mark) => (
        <g key={`${mark.step}-${mark.position}-${mark.kind}`} data-mark={mark.kind}>
          {markSize >= MIN_MARK_PX ? (
            <Mark shape={MARKS[mark.kind].shape} x={x(mark.position + 0.5)} y={top(mark.step) + cellHeight / 2} size={markSize} color={MARKS[mark.kind].color} />
          ) : (
            // Cells too small for a shape: an ink bar across the cell's middle third.
            <rect x={x(mark.position)} y={top(mark.step) + cellHeight / 3} width={Math.max(cellWidth, 1)} height={Math.max(1, cellHeight / 3)} fill={INK} />
          )}
        </g>
      ))}
    </g>
  );
});
