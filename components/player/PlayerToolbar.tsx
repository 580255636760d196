/**
 * Player toolbar: transport buttons, the scrub slider and step counter, speed, layout,
 * GIF export and, for a live run, following the newest step. It re-renders on every step,
 * which is cheap because it has a dozen elements. The cells never re-render here.
 */
import { useShallow } from 'zustand/react/shallow';
import { useStore } from 'zustand';
import type { PlayerLayout } from './cell-view';
import { PLAYBACK_SPEEDS, type PlaybackStore } from './playback';
import styles from './Player.module.css';

const ICONS = {
  play: 'M4 2.5v11l9-5.5z',
  pause: 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z',
  stepBack: 'M3 2.5h2v11H3zM13 2.5v11L6 8z',
  stepForward: 'M11 2.5h2v11h-2zM3 2.5v11L10 8z',
  previousBlock: 'M2 2.5h2v11H2zM9 2.5v11L4 8zM15 2.5v11L10 8z',
  nextBlock: 'M12 2.5h2v11h-2zM7 2.5v11L12 8zM1 2.5v11L6 8z',
  download: 'M7 1.5h2v6.5l2.3-2.3 1.4 1.4L8 11.8 3.3 7.1l1.4-1.4L7 8zM2 12.5h12v2H2z',
} as const;

function Icon({ name }: { name: keyof typeof ICONS }) {
  return (
    <svg className={styles.icon} viewBox='0 0 16 16' aria-hidden='true'>
      <path d={ICONS[name]} />
    </svg>
  );
}

export interface PlayerToolbarProps {
  playback: PlaybackStore;
  /** Steps of this player's trajectory (a shared store may play a longer one). */
  ownStepCount: number;
  layout: PlayerLayout;
  onLayoutChange: (layout: PlayerLayout) => void;
  /** Export progress in [0, 1], or null when no export runs. */
  exportProgress: number | null;
  onExportGif: () => void;
  live: boolean;
}

export function PlayerToolbar({ playback, ownStepCount, layout, onLayoutChange, exportProgress, onExportGif, live }: PlayerToolbarProps) {
  const state = useStore(
    playback,
    useShallow((s) => ({ step: s.step, stepCount: s.stepCount, playing: s.playing, speed: s.speed, followLive: s.followLive })),
  );
  const actions = playback.getState();
  const shownStep = Math.min(state.step, ownStepCount);
  const empty = state.stepCount === 0;
  const speeds: number[] = PLAYBACK_SPEEDS.includes(state.speed as (typeof PLAYBACK_SPEEDS)[number]) ? [...PLAYBACK_SPEEDS] : [...PLAYBACK_SPEEDS, state.speed].sort((a, b) => a - b);

  return (
    <div className={styles.toolbar} role='toolbar' aria-label='Playback'>
      <div className={styles.transport}>
        <button type='button' className={styles.button} onClick={actions.jumpToPreviousBlock} disabled={empty || state.step === 0} aria-label='Previous block end' title='Previous block end (Page Up)' data-testid='player-previous-block'>
          <Icon name='previousBlock' />
        </button>
        <button type='button' className={styles.button} onClick={actions.stepBack} disabled={empty || state.step === 0} aria-label='Step back' title='Step back (←)' data-testid='player-step-back'>
          <Icon name='stepBack' />
        </button>
        <button
          type='button'
          className={`${styles.button} ${styles.play}`}
          onClick={actions.toggle}
          disabled={empty}
          aria-label={state.playing ? 'Pause' : 'Play'}
          title={state.playing ? 'Pause (Space)' : 'Play (Space)'}
          data-testid='player-play'
          data-playing={state.playing || undefined}
        >
          <Icon name={state.playing ? 'pause' : 'play'} />
        </button>
        <button type='button' className={styles.button} onClick={actions.stepForward} disabled={empty || state.step >= state.stepCount} aria-label='Step forward' title='Step forward (→)' data-testid='player-step-forward'>
          <Icon name='stepForward' />
        </button>
        <button type='button' className={styles.button} onClick={actions.jumpToNextBlock} disabled={empty || state.step >= state.stepCount} aria-label='Next block end' title='Next block end (Page Down)' data-testid='player-next-block'>
          <Icon name='nextBlock' />
        </button>
      </div>

      <div className={styles.timeline}>
        <input
          type='range'
          className={styles.scrub}
          min={0}
          max={state.stepCount}
          step={1}
          value={state.step}
          disabled={empty}
          onChange={(event) => actions.seek(Number(event.target.value))}
          aria-label='Step'
          aria-valuetext={`step ${state.step} of ${state.stepCount}`}
          data-testid='player-scrub'
        />
        <span className={styles.stepLabel} data-testid='player-step-label' aria-live='off'>
          step {shownStep} / {ownStepCount}
        </span>
      </div>

      <div className={styles.options}>
        <label className={styles.optionLabel}>
          <span>Speed</span>
          <select className={styles.select} value={state.speed} onChange={(event) => actions.setSpeed(Number(event.target.value))} data-testid='player-speed' aria-label='Speed in steps per second'>
            {speeds.map((speed) => (
              <option key={speed} value={speed}>
                {speed} steps/s
              </option>
            ))}
          </select>
        </label>
        <button
          type='button'
          className={styles.button}
          aria-pressed={layout === 'code'}
          onClick={() => onLayoutChange(layout === 'code' ? 'grid' : 'code')}
          title='Show the tokens as code instead of a fixed grid'
          data-testid='player-layout-toggle'
        >
          Code layout
        </button>
        {live && (
          <button type='button' className={styles.button} aria-pressed={state.followLive} onClick={() => actions.setFollowLive(!state.followLive)} title='Show each new step as the run produces it' data-testid='player-follow-live'>
            Live
          </button>
        )}
        <button
          type='button'
          className={styles.button}
          onClick={onExportGif}
          disabled={empty || exportProgress !== null}
          aria-label={exportProgress === null ? 'Export animation as GIF' : `Exporting GIF, ${Math.round(exportProgress * 100)}%`}
          title='Download the playback as trajectory.gif'
          data-testid='player-export-gif'
        >
          <Icon name='download' />
          {exportProgress === null ? 'GIF' : `${Math.round(exportProgress * 100)}%`}
        </button>
      </div>
    </div>
  );
}
