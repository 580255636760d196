'use client';
/**
 * Views of one run in tabs: the token player, and the charts of its trajectory (mask
 * schedule, generation order, confidence, edit operations, throughput). The charts follow
 * the player's step. A run still streaming is drawn from the steps it has so far.
 */
import { useEffect, useId } from 'react';
import { useStore } from 'zustand';
import { ConfidenceHeatmap, EditOpsChart, GenerationOrderHeatmap, MaskScheduleChart, ThroughputChart } from '@/components/charts';
import { timelineOf, type PlaybackStore } from '@/components/player/playback';
import { TrajectoryPlayer, type PlayerTrajectory } from '@/components/player/TrajectoryPlayer';
import type { Trajectory } from '@/lib/trajectory';
import styles from './Notebook.module.css';

export const VIEW_TABS = [
  { id: 'tokens', label: 'Tokens' },
  { id: 'schedule', label: 'Schedule' },
  { id: 'order', label: 'Order' },
  { id: 'confidence', label: 'Confidence' },
  { id: 'edits', label: 'Edits' },
  { id: 'throughput', label: 'Throughput' },
] as const;

export type ViewTab = (typeof VIEW_TABS)[number]['id'];

export interface RunViewsProps {
  /** The run as a trajectory: finished, or partial while it streams; null before its first event. */
  trajectory: Trajectory | null;
  /** Trajectory the player draws; a live run passes the steps it has so far. */
  playerTrajectory: PlayerTrajectory | null;
  live: boolean;
  label: string;
  tokenText: (id: number) => string;
  playback: PlaybackStore;
  tab: ViewTab;
  onTabChange(tab: ViewTab): void;
  onSelectPositions?: (positions: number[], step: number) => void;
  /** Text shown before the run has started. */
  placeholder: string;
}

export function RunViews(props: RunViewsProps) {
  const { trajectory, playerTrajectory, tab, playback } = props;
  const step = useStore(playback, (s) => s.step);
  useRunTimeline(playback, playerTrajectory);
  const tabId = (id: string) => `${props.label.replace(/\W+/g, '-')}-${id}`;

  return (
    <div>
      <div className={styles.tabs} role='tablist' aria-label={`Views of ${props.label}`}>
        {VIEW_TABS.map((t) => (
          <button
            key={t.id}
            type='button'
            role='tab'
            id={tabId(t.id)}
            className={styles.tab}
            data-testid={`view-tab-${t.id}`}
            aria-selected={tab === t.id}
            onClick={() => props.onTabChange(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role='tabpanel' aria-labelledby={tabId(tab)}>
        {playerTrajectory === null || trajectory === null ? (
          <p className={styles.empty} data-testid='run-placeholder'>
            {props.placeholder}
          </p>
        ) : tab === 'tokens' ? (
          <TrajectoryPlayer
            trajectory={playerTrajectory}
            tokenText={props.tokenText}
            playback={playback}
            live={props.live}
            label={props.label}
            onSelectPositions={props.onSelectPositions}
          />
        ) : (
          <RunChart tab={tab} trajectory={trajectory} step={step} label={props.label} tokenText={props.tokenText} onSeek={(s) => playback.getState().seek(s)} />
        )}
      </div>
    </div>
  );
}

/**
 * Registers the run's timeline in the playback store for as long as the views show the run.
 * The player registers its own only while it is mounted, and a chart tab unmounts it, so
 * without this the store's step count would drop to 0 and clamp the charts' step to 0.
 */
function useRunTimeline(playback: PlaybackStore, trajectory: PlayerTrajectory | null): void {
  const sourceId = useId();
  const steps = trajectory?.steps;
  useEffect(() => {
    playback.getState().setTimeline(sourceId, steps ? timelineOf(steps) : null);
  }, [playback, sourceId, steps]);
  useEffect(() => () => playback.getState().setTimeline(sourceId, null), [playback, sourceId]);
}

function RunChart(props: { tab: Exclude<ViewTab, 'tokens'>; trajectory: Trajectory; step: number; label: string; tokenText: (id: number) => string; onSeek(step: number): void }) {
  const { trajectory, step } = props;
  switch (props.tab) {
    case 'schedule':
      return <MaskScheduleChart runs={[{ label: props.label, trajectory }]} step={step} />;
    case 'order':
      return <GenerationOrderHeatmap trajectory={trajectory} step={step} />;
    case 'confidence':
      return <ConfidenceHeatmap trajectory={trajectory} step={step} />;
    case 'edits':
      return <EditOpsChart trajectory={trajectory} step={step} tokenText={props.tokenText} onSelectStep={props.onSeek} />;
    case 'throughput':
      return <ThroughputChart runs={[{ label: props.label, trajectory }]} />;
  }
}
