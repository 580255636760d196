/**
 * d3 charts of a run's denoising trajectory and of sweeps over runs. Each chart is a
 * presentational React component: d3 computes scales, stacks and paths, React renders
 * the SVG, and a ChartFrame adds the title and the SVG and PNG export buttons.
 */
export { ChartFrame, ChartSvg, type ChartFrameProps, type ChartSvgProps } from './ChartFrame';
export { ConfidenceHeatmap, type ConfidenceHeatmapProps } from './ConfidenceHeatmap';
export { EditOpsChart, type EditOpsChartProps } from './EditOpsChart';
export { GenerationOrderHeatmap, type GenerationOrderHeatmapProps } from './GenerationOrderHeatmap';
export { MaskScheduleChart, type MaskScheduleChartProps } from './MaskScheduleChart';
export { ParetoChart, type ParetoChartProps } from './ParetoChart';
export { ThroughputChart, type ThroughputChartProps } from './ThroughputChart';
export { exportPng, exportSvg } from './export';
export type { ChartRun } from './types';
export type { MaskScope } from './mask-schedule';
export type { ParetoPoint } from './pareto';
