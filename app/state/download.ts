/** Saves a trajectory as a JSON file through a temporary link. */
import type { Trajectory } from '@/lib/trajectory';

export function trajectoryFileName(trajectory: Trajectory): string {
  const fork = trajectory.parent ? `-fork${trajectory.parent.step}` : '';
  return `unmask-${trajectory.modelId}-seed${trajectory.config.seed}-${trajectory.config.runtime}${fork}.json`;
}

export function downloadTrajectory(trajectory: Trajectory): void {
  const blob = new Blob([`${JSON.stringify(trajectory)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = trajectoryFileName(trajectory);
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
