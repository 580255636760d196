/**
 * Throughput chart: three small bar charts (decoded tokens per second, forward passes per
 * decoded token, mean time per step) with one bar per run, and a line chart of each run's
 * time per step. Side by side on wide screens, stacked on narrow ones.
 */
'use client';

import { useMemo } from 'react';
import { line, scaleLinear } from 'd3';
import { Axis } from './Axis';
import { ChartFrame, ChartSvg } from './ChartFrame';
import { LEGEND_ROW_PX, SwatchLegend, layoutLegend } from './legends';
import { runThroughput, type RunThroughput } from './throughput';
import { DASHES, FONT_SIZE, INK, MUTED_INK, categoricalColor, formatNumber } from './theme';
import type { ChartRun } from './types';
import { useChartWidth } from './use-chart-width';
import styles from './charts.module.css';

export interface ThroughputChartProps {
  runs: ChartRun[];
}

interface Metric {
  key: 'tokensPerSecond' | 'forwardPassesPerToken' | 'meanStepMs';
  title: string;
  digits: number;
}

const METRICS: Metric[] = [
  { key: 'tokensPerSecond', title: 'decoded tokens / s', digits: 0 },
  { key: 'forwardPassesPerToken', title: 'forward passes / token', digits: 2 },
  { key: 'meanStepMs', title: 'mean ms / step', digits: 1 },
];

/** Below this width the three bar charts stack instead of sitting side by side. */
const NARROW_PX = 560;
const BAR_PX = 14;
const BAR_GAP_PX = 6;
const PANEL_TITLE_PX = 18;
const PANEL_GAP_PX = 24;
const VALUE_LABEL_PX = 44;
const LINE_CHART_PX = 200;
const LINE_MARGIN = { top: 28, right: 12, bottom: 40, left: 48 };

export function ThroughputChart({ runs }: ThroughputChartProps) {
  const [ref, width] = useChartWidth();
  const data = useMemo(() => runs.map((run) => runThroughput(run.label, run.trajectory)), [runs]);

  const legendItems = data.map((d, i) => ({ label: d.label, color: categoricalColor(i), shape: 'line' as const, dash: DASHES[i % DASHES.length] }));
  const legendRows = layoutLegend(legendItems, width).rows;
  const narrow = width < NARROW_PX;
  const panelWidth = narrow ? width : (width - 2 * PANEL_GAP_PX) / 3;
  const panelHeight = PANEL_TITLE_PX + data.length * (BAR_PX + BAR_GAP_PX);
  const panelsTop = legendRows * LEGEND_ROW_PX + 10;
  const panelsHeight = narrow ? 3 * panelHeight + 2 * PANEL_GAP_PX : panelHeight;
  const lineTop = panelsTop + panelsHeight + PANEL_GAP_PX;
  const height = lineTop + LINE_CHART_PX;

  return (
    <ChartFrame title='Throughput' testId='chart-throughput' filename='throughput'>
      <div ref={ref} className={styles.plot}>
        {runs.length === 0 ? <p className={styles.empty}>No runs to plot.</p> : null}
        {width > 0 && runs.length > 0 ? (
          <ChartSvg
            width={width}
            height={height}
            title='Decoding throughput per run, and time per step'
            description={data
              .map((d) => `${d.label}: ${formatNumber(d.tokensPerSecond, 0)} tokens/s, ${formatNumber(d.forwardPassesPerToken)} forward passes per token, ${formatNumber(d.meanStepMs, 1)} ms per step`)
              .join('; ')}
          >
            <SwatchLegend items={legendItems} width={width} y={2} />
            {METRICS.map((metric, m) => (
              <g key={metric.key} transform={narrow ? `translate(0,${panelsTop + m * (panelHeight + PANEL_GAP_PX)})` : `translate(${m * (panelWidth + PANEL_GAP_PX)},${panelsTop})`}>
                <BarPanel metric={metric} data={data} width={panelWidth} />
              </g>
            ))}
            <g transform={`translate(0,${lineTop})`}>
              <StepTimeLines data={data} width={width} height={LINE_CHART_PX} />
            </g>
          </ChartSvg>
        ) : null}
      </div>
    </ChartFrame>
  );
}

function BarPanel({ metric, data, width }: { metric: Metric; data: RunThroughput[]; width: number }) {
  const values = data.map((d) => d[metric.key]);
  const max = Math.max(1e-9, ...values.filter(Number.isFinite));
  const x = scaleLinear().domain([0, max]).range([0, Math.max(1, width - VALUE_LABEL_PX)]);
  return (
    <g data-metric={metric.key} fontSize={FONT_SIZE}>
      <text y={11} fill={MUTED_INK} fontWeight={600}>
        {metric.title}
      </text>
      {data.map((d, i) => {
        const value = values[i];
        const barWidth = Number.isFinite(value) ? Math.max(1, x(value)) : 0;
        const y = PANEL_TITLE_PX + i * (BAR_PX + BAR_GAP_PX);
        return (
          <g key={`${d.label}-${i}`} transform={`translate(0,${y})`}>
            <rect width={barWidth} height={BAR_PX} fill={categoricalColor(i)}>
              <title>{`${d.label}: ${formatNumber(value, metric.digits)} ${metric.title}`}</title>
            </rect>
            <text x={barWidth + 4} y={BAR_PX / 2} dy='0.32em' fill={INK}>
              {formatNumber(value, metric.digits)}
            </text>
          </g>
        );
      })}
      <line y1={PANEL_TITLE_PX - 2} y2={PANEL_TITLE_PX + data.length * (BAR_PX + BAR_GAP_PX) - BAR_GAP_PX + 2} stroke={MUTED_INK} />
    </g>
  );
}

function StepTimeLines({ data, width, height }: { data: RunThroughput[]; width: number; height: number }) {
  const plotWidth = Math.max(0, width - LINE_MARGIN.left - LINE_MARGIN.right);
  const plotHeight = Math.max(0, height - LINE_MARGIN.top - LINE_MARGIN.bottom);
  const maxSteps = Math.max(1, ...data.map((d) => d.stepMs.length));
  const maxMs = Math.max(1e-3, ...data.flatMap((d) => d.stepMs));
  const x = scaleLinear().domain([1, Math.max(2, maxSteps)]).range([0, plotWidth]);
  const y = scaleLinear().domain([0, maxMs]).nice().range([plotHeight, 0]);
  const path = line<number>()
    .x((_, i) => x(i + 1))
    .y((ms) => y(ms));

  return (
    <g fontSize={FONT_SIZE}>
      <text y={12} fill={MUTED_INK} fontWeight={600}>
        time per step (ms)
      </text>
      <g transform={`translate(${LINE_MARGIN.left},${LINE_MARGIN.top})`}>
        <Axis orient='left' scale={y} gridLength={plotWidth} label='ms' labelOffset={38} />
        <g transform={`translate(0,${plotHeight})`}>
          <Axis orient='bottom' scale={x} maxTicks={maxSteps} integer tickFormat={String} label='step' />
        </g>
        {data.map((d, i) =>
          d.stepMs.length === 1 ? (
            <circle key={`${d.label}-${i}`} cx={x(1)} cy={y(d.stepMs[0])} r={3} fill={categoricalColor(i)} />
          ) : (
            <path
              key={`${d.label}-${i}`}
              d={path(d.stepMs) ?? ''}
              fill='none'
              stroke={categoricalColor(i)}
              strokeWidth={1.75}
              strokeDasharray={DASHES[i % DASHES.length] || undefined}
              data-run={d.label}
            />
          ),
        )}
      </g>
    </g>
  );
}
