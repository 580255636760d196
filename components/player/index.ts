/** Trajectory player: the component, its playback store and the GIF export. */
export { TrajectoryPlayer, type PlayerTrajectory, type TrajectoryPlayerProps } from './TrajectoryPlayer';
export { attachTicker, createPlaybackStore, DEFAULT_SPEED, PLAYBACK_SPEEDS, usePlaybackTicker, type PlaybackState, type PlaybackStore, type Timeline } from './playback';
export { PLAYER_LAYOUTS, type PlayerLayout } from './cell-view';
export { exportTrajectoryGif, renderTrajectoryGif } from './export-gif';
export type { CellState } from './frames';
