/**
 * Mask schedule chart: for each run, the masked fraction its schedule planned after each
 * step (thin, dashed) and the fraction its canvas actually had (thick, with dots), with a
 * marker at the current step. Overlaid runs differ in colour and dash pattern.
 */
'use client';

import { useMemo } from 'react';
import { line, scaleLinear } from 'd3';
import { Axis } from './Axis';
import { ChartFrame, ChartSvg } from './ChartFrame';
import { LEGEND_ROW_PX, SwatchLegend, layoutLegend, type LegendItem } from './legends';
import { maskScheduleSeries, type FractionPoint, type MaskScope } from './mask-schedule';
import { StepMarker } from './StepMarker';
import { DASHES, DEFAULT_MARGIN, INK, categoricalColor, innerSize } from './theme';
import type { ChartRun } from './types';
import { useChartWidth } from './use-chart-width';
import styles from './charts.module.css';

export interface MaskScheduleChartProps {
  runs: ChartRun[];
  /** Steps applied so far (0 = none); draws the current-step marker. */
  step?: number;
  /** Fraction of the step's block (default) or of the decoded canvas. */
  scope?: MaskScope;
  /** Height of the plotting area in pixels; the legend and axes add to it. */
  plotHeight?: number;
}

// Runs with more steps than this are drawn without a dot per step.
const MAX_DOTS = 160;

export function MaskScheduleChart({ runs, step, scope = 'block', plotHeight = 220 }: MaskScheduleChartProps) {
  const [ref, width] = useChartWidth();
  const series = useMemo(() => runs.map((run) => ({ label: run.label, ...maskScheduleSeries(run.trajectory, scope) })), [runs, scope]);
  const unit = scope === 'block' ? 'of the block' : 'of the decoded canvas';
  const axisLabel = scope === 'block' ? 'masked (% of block)' : 'masked (% of canvas)';
  const adaptive = series.filter((s) => s.adaptive).map((s) => s.label);

  const legendItems: LegendItem[] = [
    ...series.map((s, i) => ({ label: s.label, color: categoricalColor(i), shape: 'line' as const, dash: DASHES[i % DASHES.length] })),
    { label: 'actual (line with dots)', color: INK, shape: 'line' },
    { label: 'planned (thin, faded)', color: '#9aa4b1', shape: 'line', dash: '3 2' },
  ];
  const legendRows = layoutLegend(legendItems, Math.max(1, width - DEFAULT_MARGIN.left - DEFAULT_MARGIN.right)).rows;
  const margin = { ...DEFAULT_MARGIN, top: 20 + legendRows * LEGEND_ROW_PX };
  const height = margin.top + plotHeight + margin.bottom;
  const inner = innerSize(width, height, margin);
  const maxStep = Math.max(1, ...series.map((s) => s.actual.at(-1)?.step ?? 0));
  const x = scaleLinear().domain([0, maxStep]).range([0, inner.width]);
  const y = scaleLinear().domain([0, 1]).range([inner.height, 0]);
  const path = line<FractionPoint>()
    .x((p) => x(p.step))
    .y((p) => y(p.fraction));

  const note = adaptive.length > 0 ? `The threshold policy sets how many tokens a step reveals, so the plan does not bind: ${adaptive.join(', ')}.` : undefined;

  return (
    <ChartFrame title='Mask schedule: planned vs actual' testId='chart-schedule' filename='mask-schedule' note={note}>
      <div ref={ref} className={styles.plot}>
        {runs.length === 0 ? <p className={styles.empty}>No runs to plot.</p> : null}
        {width > 0 && runs.length > 0 ? (
          <ChartSvg
            width={width}
            height={height}
            title={`Masked fraction ${unit} after each step, planned and actual`}
            description={`Runs: ${series.map((s) => s.label).join(', ')}. x: steps applied; y: masked fraction ${unit}.`}
          >
            <SwatchLegend items={legendItems} width={inner.width} x={margin.left} y={6} />
            <g transform={`translate(${margin.left},${margin.top})`}>
              <Axis orient='left' scale={y} tickFormat={(v) => `${Math.round(v * 100)}%`} gridLength={inner.width} label={axisLabel} />
              <g transform={`translate(0,${inner.height})`}>
                <Axis orient='bottom' scale={x} maxTicks={maxStep} integer tickFormat={String} label='steps applied' />
              </g>
              {series.map((s, i) => (
                <g key={`${s.label}-${i}`} data-run={s.label}>
                  <path d={path(s.planned) ?? ''} fill='none' stroke={categoricalColor(i)} strokeOpacity={0.55} strokeWidth={1.25} strokeDasharray='3 2' data-series='planned' />
                  <path d={path(s.actual) ?? ''} fill='none' stroke={categoricalColor(i)} strokeWidth={2} strokeDasharray={DASHES[i % DASHES.length] || undefined} data-series='actual' />
                  {s.actual.length <= MAX_DOTS
                    ? s.actual.map((p, k) => (
                        <circle key={k} cx={x(p.step)} cy={y(p.fraction)} r={2.5} fill={categoricalColor(i)}>
                          <title>{`${s.label}, step ${p.step} (block ${p.block + 1}): ${(p.fraction * 100).toFixed(1)}% masked, planned ${(s.planned[k].fraction * 100).toFixed(1)}%`}</title>
                        </circle>
                      ))
                    : null}
                </g>
              ))}
              <StepMarker at={step === undefined ? undefined : x(Math.min(step, maxStep))} length={inner.height} label={`step ${step}`} plotWidth={inner.width} />
            </g>
          </ChartSvg>
        ) : null}
      </div>
    </ChartFrame>
  );
}
