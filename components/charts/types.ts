import type { Trajectory } from '@/lib/trajectory';

/** One run as the multi-run charts take it: a legend label and its trajectory. */
export interface ChartRun {
  label: string;
  trajectory: Trajectory;
}
