/**
 * Edit-operations chart: per step, the Levenshtein operations between the visible text
 * before and after it, as stacked bars split by kind (see edit-ops.ts), and under them the
 * inline diff of the current step.
 */
'use client';

import { useMemo } from 'react';
import { scaleLinear, stack } from 'd3';
import type { Trajectory } from '@/lib/trajectory';
import { Axis } from './Axis';
import { ChartFrame, ChartSvg } from './ChartFrame';
import { EditDiff } from './EditDiff';
import { EDIT_KINDS, editOpsPerStep, stepDiff, type EditKind, type StepEdits } from './edit-ops';
import { LEGEND_ROW_PX, SwatchLegend, layoutLegend } from './legends';
import { DEFAULT_MARGIN, EDIT_COLORS, MARKER_COLOR } from './theme';
import { useChartWidth } from './use-chart-width';
import styles from './charts.module.css';

export interface EditOpsChartProps {
  trajectory: Trajectory;
  /** Steps applied so far; the diff shows this step against the one before (default: the last step). */
  step?: number;
  /** Text of a token id, for the diff. */
  tokenText: (id: number) => string;
  /** Called with a 1-based step when a bar is clicked. */
  onSelectStep?: (step: number) => void;
  /** Height of the plotting area in pixels; the legend and axes add to it. */
  plotHeight?: number;
}

const LABELS: Record<EditKind, string> = {
  reveal: 'reveal (mask → token)',
  substitution: 'substitution (token → token)',
  remask: 'remask (token → mask)',
  insertion: 'insertion',
  deletion: 'deletion',
};

export function EditOpsChart({ trajectory, step, tokenText, onSelectStep, plotHeight = 170 }: EditOpsChartProps) {
  const [ref, width] = useChartWidth();
  const perStep = useMemo(() => editOpsPerStep(trajectory), [trajectory]);
  const stepCount = perStep.length;
  const diffStep = Math.min(step ?? stepCount, stepCount);
  const pieces = useMemo(() => (diffStep >= 1 ? stepDiff(trajectory, diffStep) : []), [trajectory, diffStep]);

  // Kinds that occur, in a fixed order; a stage-1 run has reveals and perhaps deletions only.
  const present = EDIT_KINDS.filter((kind) => perStep.some((s) => s.counts[kind] > 0));
  const kinds = present.length > 0 ? present : (['reveal'] as EditKind[]);
  const legendItems = kinds.map((kind) => ({ label: LABELS[kind], color: EDIT_COLORS[kind] }));
  const legendRows = layoutLegend(legendItems, Math.max(1, width - DEFAULT_MARGIN.left - DEFAULT_MARGIN.right)).rows;
  const margin = { ...DEFAULT_MARGIN, top: 20 + legendRows * LEGEND_ROW_PX };
  const plotWidth = Math.max(0, width - margin.left - margin.right);
  const height = margin.top + plotHeight + margin.bottom;

  const maxCount = Math.max(1, ...perStep.map((s) => s.distance));
  const x = scaleLinear().domain([0.5, stepCount + 0.5]).range([0, plotWidth]);
  const y = scaleLinear().domain([0, maxCount]).nice().range([plotHeight, 0]);
  const barWidth = Math.max(1, (plotWidth / Math.max(1, stepCount)) * 0.8);
  const layers = stack<StepEdits, EditKind>()
    .keys(kinds)
    .value((d, key) => d.counts[key])(perStep);

  const current = diffStep >= 1 ? perStep[diffStep - 1] : undefined;

  return (
    <ChartFrame title='Edit operations per step' testId='chart-edits' filename='edit-operations' note={summaryOf(perStep)}>
      <div ref={ref} className={styles.plot}>
        {width > 0 && stepCount > 0 ? (
          <ChartSvg
            width={width}
            height={height}
            title='Levenshtein operations between the visible text of consecutive steps'
            description={`${stepCount} steps. Bars stack ${kinds.map((k) => LABELS[k]).join(', ')}.`}
          >
            <SwatchLegend items={legendItems} width={plotWidth} x={margin.left} y={6} />
            <g transform={`translate(${margin.left},${margin.top})`}>
              <Axis orient='left' scale={y} integer tickFormat={String} maxTicks={maxCount} gridLength={plotWidth} label='operations' />
              {layers.map((layer) => (
                <g key={layer.key} fill={EDIT_COLORS[layer.key]} data-kind={layer.key}>
                  {layer.map((d, i) =>
                    d[1] > d[0] ? (
                      <rect
                        key={i}
                        data-step={i + 1}
                        x={x(i + 1) - barWidth / 2}
                        y={y(d[1])}
                        width={barWidth}
                        height={y(d[0]) - y(d[1])}
                        onClick={onSelectStep ? () => onSelectStep(i + 1) : undefined}
                        style={onSelectStep ? { cursor: 'pointer' } : undefined}
                      >
                        <title>{barTitle(perStep[i], layer.key)}</title>
                      </rect>
                    ) : null,
                  )}
                </g>
              ))}
              {current ? (
                <rect
                  data-testid='step-marker'
                  x={x(diffStep) - barWidth / 2 - 2}
                  y={y(current.distance) - 2}
                  width={barWidth + 4}
                  height={plotHeight - y(current.distance) + 2}
                  fill='none'
                  stroke={MARKER_COLOR}
                  strokeWidth={1.5}
                />
              ) : null}
              <g transform={`translate(0,${plotHeight})`}>
                <Axis orient='bottom' scale={x} maxTicks={stepCount} integer tickFormat={String} label='step' />
              </g>
            </g>
          </ChartSvg>
        ) : null}
        {stepCount === 0 ? <p className={styles.empty}>The run has no steps yet.</p> : null}
      </div>
      <div className={styles.diffHeader} data-testid='edit-diff-summary'>
        {current ? (
          <>
            <strong>
              Step {diffStep} vs {diffStep - 1}:
            </strong>
            {EDIT_KINDS.filter((kind) => current.counts[kind] > 0).map((kind) => (
              <span key={kind} className={styles.diffLegend}>
                <span className={diffClass(kind)}>{current.counts[kind]}</span> {LABELS[kind]}
              </span>
            ))}
            {current.distance === 0 ? <span>no change in the visible text</span> : null}
          </>
        ) : (
          <span>Step 0 is the starting canvas: no step has changed it yet.</span>
        )}
      </div>
      {current ? <EditDiff pieces={pieces} tokenText={tokenText} maskId={trajectory.maskId} /> : null}
    </ChartFrame>
  );
}

function barTitle(edits: StepEdits, kind: EditKind): string {
  const { unmask, edit, remask } = edits.events;
  return `step ${edits.step}: ${edits.counts[kind]} ${LABELS[kind]}; distance ${edits.distance}; events: ${unmask} unmask, ${edit} edit, ${remask} remask`;
}

function summaryOf(perStep: StepEdits[]): string {
  const totals = { unmask: 0, edit: 0, remask: 0 };
  for (const s of perStep) {
    totals.unmask += s.events.unmask;
    totals.edit += s.events.edit;
    totals.remask += s.events.remask;
  }
  return `Events over ${perStep.length} steps: ${totals.unmask} unmask, ${totals.edit} edit, ${totals.remask} remask`;
}

function diffClass(kind: EditKind): string {
  return {
    reveal: styles.diffReveal,
    substitution: styles.diffSubstitution,
    remask: styles.diffRemask,
    insertion: styles.diffInsertion,
    deletion: styles.diffDeletion,
  }[kind];
}
