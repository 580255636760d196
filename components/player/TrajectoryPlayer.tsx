'use client';
/**
 * Trajectory player: plays a run's denoising steps as a token grid or as code, driven by
 * a playback store (playback.ts) that several players may share.
 *
 * React renders the frame once. The cells belong to a CellView, which a store subscription
 * updates in place at each step from a FrameCursor, so playback does not re-render React
 * components per cell. The trajectory may be a live run whose steps grow between renders.
 */
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useStore } from 'zustand';
import { settleSteps } from '@/lib/metrics';
import type { Trajectory } from '@/lib/trajectory';
import { CellView, positionOf, type PlayerLayout } from './cell-view';
import { exportTrajectoryGif } from './export-gif';
import { EventTable, FrameCursor } from './frames';
import { readPlayerColors } from './palette';
import { usePlaybackTicker, type PlaybackStore } from './playback';
import { PlayerToolbar } from './PlayerToolbar';
import { PlayerTooltip } from './PlayerTooltip';
import styles from './Player.module.css';

/** The parts of a trajectory the player draws. A live run passes the steps it has so far. */
export type PlayerTrajectory = Pick<Trajectory, 'genLength' | 'maskId' | 'eosId' | 'blocks' | 'steps'> & {
  initialCanvas?: readonly number[];
  /**
   * Only for a finished run: positions from decodedLength on, which the run never decoded,
   * show as end of sequence at the last step. A partial `final` would mark them too early.
   */
  final?: Pick<Trajectory['final'], 'decodedLength'>;
  /** Prompt token ids, shown before the canvas in the code layout. */
  promptIds?: readonly number[];
};

export interface TrajectoryPlayerProps {
  trajectory: PlayerTrajectory;
  tokenText: (id: number) => string;
  playback: PlaybackStore;
  /** Layout to start with, which the toolbar toggles. */
  layout?: PlayerLayout;
  onLayoutChange?: (layout: PlayerLayout) => void;
  /** Called with the selected positions (ascending) and the step shown whenever the selection changes. */
  onSelectPositions?: (positions: number[], step: number) => void;
  /** True while the run is still producing steps: shows the Live toggle. */
  live?: boolean;
  /** Accessible name of the player, e.g. the run it shows in a compare view. */
  label?: string;
}

/**
 * Returns an event table for the trajectory, extended in place while a live run grows.
 * Syncing during render is safe to repeat: a second call with the same steps adds nothing.
 */
function useEventTable(trajectory: PlayerTrajectory): EventTable {
  const ref = useRef<EventTable | null>(null);
  if (ref.current === null || !ref.current.sync(trajectory)) ref.current = new EventTable(trajectory);
  return ref.current;
}

function Legend() {
  const items = [
    { state: 'masked', label: 'masked' },
    { state: 'new', label: 'revealed this step' },
    { state: 'settled', label: 'settled, shade = confidence' },
    { state: 'edited', label: 'edited' },
    { state: 'remasked', label: 'remasked' },
    { state: 'end', label: 'end of sequence' },
  ];
  return (
    <div className={styles.legend} data-testid='player-legend'>
      {items.map(({ state, label }) => (
        <span key={state} className={styles.legendItem}>
          <span className={styles.swatch} data-state={state} />
          {label}
        </span>
      ))}
    </div>
  );
}

/**
 * Fastest playback (steps per second) with animated cells: the reveal animation lasts
 * 450 ms, and at 30 steps/s or more, animating ~15-30 cells at once halved the frame rate
 * of a 1,024-cell grid in bench/player-fps.spec.ts.
 */
export const MAX_ANIMATED_SPEED = 10;

/** Grid columns of the cell container, read from its computed style. */
function columnCount(container: HTMLElement): number {
  const columns = getComputedStyle(container).gridTemplateColumns.split(' ').filter(Boolean).length;
  return Math.max(1, columns);
}

export function TrajectoryPlayer(props: TrajectoryPlayerProps) {
  const { trajectory, tokenText, playback, onSelectPositions, onLayoutChange, live = false, label } = props;
  const [layout, setLayout] = useState<PlayerLayout>(props.layout ?? 'grid');
  const [hovered, setHovered] = useState<number | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  const [selection, setSelection] = useState<number[]>([]);
  const [exportProgress, setExportProgress] = useState<number | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);

  const rootRef = useRef<HTMLElement>(null);
  const cellsRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<{ view: CellView; cursor: FrameCursor } | null>(null);
  const selectionAnchor = useRef<number | null>(null);
  const exportAbort = useRef<AbortController | null>(null);
  const sourceId = useId();
  const tooltipId = useId();
  const keysId = useId();

  usePlaybackTicker(playback);
  const animate = useStore(playback, (s) => s.speed <= MAX_ANIMATED_SPEED);
  const table = useEventTable(trajectory);
  const stepCount = table.stepCount;
  const { eosId, blocks, genLength } = trajectory;
  const blocksKey = blocks.map((b) => `${b.start}-${b.end}`).join(',');
  const promptText = (trajectory.promptIds ?? []).map(tokenText).join('');
  // stepCount is a dependency because a live run may append steps to the same object.
  const settled = useMemo(() => settleSteps(trajectory), [trajectory, stepCount]);
  const tokenTextRef = useRef(tokenText);
  tokenTextRef.current = tokenText;

  useEffect(() => {
    if (props.layout !== undefined) setLayout(props.layout);
  }, [props.layout]);

  // Build the cells for this table and layout, and redraw them whenever the step changes.
  useLayoutEffect(() => {
    const container = cellsRef.current;
    if (container === null) return;
    const view = new CellView(container, {
      layout,
      table,
      blocks,
      endIds: new Set([eosId]),
      tokenText: tokenTextRef.current,
      classNames: { cell: styles.cell, prompt: styles.prompt, newline: styles.newline },
    });
    const cursor = new FrameCursor(table);
    viewRef.current = { view, cursor };
    cursor.seek(Math.min(playback.getState().step, table.stepCount));
    view.update(cursor, null, table.blockAt(cursor.step));

    const unsubscribe = playback.subscribe((state, previous) => {
      if (state.step === previous.step) return;
      const dirty = cursor.seek(Math.min(state.step, table.stepCount));
      view.update(cursor, dirty, table.blockAt(cursor.step));
    });
    return () => {
      unsubscribe();
      view.destroy();
      viewRef.current = null;
    };
    // blocksKey stands for blocks, whose array may be new at every render of a live run.
  }, [table, layout, blocksKey, eosId, playback]);

  // A live run added steps (the step shown may have been clamped before) or finished.
  const decodedLength = table.decodedLength;
  useLayoutEffect(() => {
    const current = viewRef.current;
    if (current === null) return;
    current.cursor.seek(Math.min(playback.getState().step, table.stepCount));
    current.view.update(current.cursor, null, table.blockAt(current.cursor.step));
  }, [stepCount, decodedLength, table, playback]);

  useEffect(() => {
    viewRef.current?.view.setTokenText(tokenText);
  }, [tokenText]);

  useLayoutEffect(() => {
    viewRef.current?.view.setPromptText(promptText);
  }, [promptText, table, layout]);

  useEffect(() => {
    viewRef.current?.view.setSelection(new Set(selection));
  }, [selection, table, layout]);

  // Register this trajectory's timeline, and remove it only when the player goes away.
  useEffect(() => {
    playback.getState().setTimeline(sourceId, { stepCount, blockEnds: table.blockEnds() });
  }, [playback, sourceId, table, stepCount]);
  useEffect(() => () => playback.getState().setTimeline(sourceId, null), [playback, sourceId]);

  useEffect(() => () => exportAbort.current?.abort(), []);

  const changeLayout = (next: PlayerLayout) => {
    setLayout(next);
    onLayoutChange?.(next);
  };

  const select = useCallback(
    (positions: number[]) => {
      const sorted = [...new Set(positions)].sort((a, b) => a - b);
      setSelection(sorted);
      onSelectPositions?.(sorted, Math.min(playback.getState().step, table.stepCount));
    },
    [onSelectPositions, playback, table],
  );

  const onCellClick = (event: MouseEvent<HTMLDivElement>) => {
    const position = positionOf(event.target);
    if (position === null) return;
    viewRef.current?.view.setFocusable(position);
    const anchor = selectionAnchor.current;
    if (event.shiftKey && anchor !== null) {
      const [low, high] = anchor < position ? [anchor, position] : [position, anchor];
      select(Array.from({ length: high - low + 1 }, (_, i) => low + i));
      return;
    }
    selectionAnchor.current = position;
    if (event.ctrlKey || event.metaKey) {
      select(selection.includes(position) ? selection.filter((p) => p !== position) : [...selection, position]);
    } else {
      select(selection.length === 1 && selection[0] === position ? [] : [position]);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target as HTMLElement;
    const tag = target.tagName;
    // Form controls keep their own keys, except that Space on the slider plays.
    if (tag === 'SELECT' || tag === 'TEXTAREA') return;
    if (tag === 'INPUT' && !(event.key === ' ' && (target as HTMLInputElement).type === 'range')) return;
    if (tag === 'BUTTON' && (event.key === ' ' || event.key === 'Enter')) return;

    const state = playback.getState();
    const cell = positionOf(target);
    const actions: Record<string, () => void> = {
      ' ': state.toggle,
      ArrowLeft: state.stepBack,
      ArrowRight: state.stepForward,
      Home: () => state.seek(0),
      End: () => state.seek(state.stepCount),
      PageUp: state.jumpToPreviousBlock,
      PageDown: state.jumpToNextBlock,
      Escape: () => {
        setHovered(null);
        setFocused(null);
        if (selection.length > 0) select([]);
      },
    };
    if (cell !== null && cellsRef.current !== null) {
      const rowStep = layout === 'grid' ? columnCount(cellsRef.current) : 1;
      actions.ArrowUp = () => viewRef.current?.view.setFocusable(cell - rowStep, true);
      actions.ArrowDown = () => viewRef.current?.view.setFocusable(cell + rowStep, true);
      actions.Enter = () => {
        selectionAnchor.current = cell;
        select(selection.includes(cell) ? selection.filter((p) => p !== cell) : [...selection, cell]);
      };
    }
    const action = actions[event.key];
    if (action === undefined) return;
    event.preventDefault();
    action();
  };

  const onExportGif = () => {
    const root = rootRef.current;
    if (root === null) return;
    const controller = new AbortController();
    exportAbort.current = controller;
    setExportError(null);
    setExportProgress(0);
    exportTrajectoryGif(trajectory, {
      endIds: [eosId],
      tokenText,
      colors: readPlayerColors(root),
      stepsPerSecond: playback.getState().speed,
      onProgress: setExportProgress,
      signal: controller.signal,
    })
      .catch((error: Error) => {
        if (error.name === 'AbortError') return;
        console.warn('[player] GIF export failed:', error);
        setExportError(`GIF export failed: ${error.message}`);
      })
      .finally(() => {
        if (!controller.signal.aborted) setExportProgress(null);
      });
  };

  const tipPosition = hovered ?? focused;
  return (
    <section
      ref={rootRef}
      className={styles.player}
      tabIndex={0}
      aria-label={label ?? 'Trajectory player'}
      aria-describedby={keysId}
      aria-keyshortcuts='Space ArrowLeft ArrowRight Home End PageUp PageDown'
      onKeyDown={onKeyDown}
      data-testid='player'
      data-layout={layout}
    >
      <PlayerToolbar
        playback={playback}
        ownStepCount={stepCount}
        layout={layout}
        onLayoutChange={changeLayout}
        exportProgress={exportProgress}
        onExportGif={onExportGif}
        live={live}
      />
      <Legend />
      {genLength === 0 && <div className={styles.empty}>This trajectory has no canvas positions.</div>}
      <div
        ref={cellsRef}
        className={styles.cells}
        data-layout={layout}
        data-animate={animate || undefined}
        role='listbox'
        aria-multiselectable='true'
        aria-label='Canvas tokens'
        hidden={genLength === 0}
        onClick={onCellClick}
        onPointerOver={(event) => setHovered(positionOf(event.target))}
        onPointerLeave={() => setHovered(null)}
        onFocus={(event) => setFocused(positionOf(event.target))}
        onBlur={() => setFocused(null)}
        data-testid='player-cells'
      />
      {tipPosition !== null && tipPosition < genLength && (
        <PlayerTooltip
          id={tooltipId}
          table={table}
          position={tipPosition}
          playback={playback}
          blocks={blocks}
          settleSteps={settled}
          live={live}
          tokenText={tokenText}
          anchor={() => viewRef.current?.view.cell(tipPosition)}
          frame={() => rootRef.current}
        />
      )}
      <div className={styles.footer}>
        <span id={keysId} className={styles.keys}>
          <kbd>Space</kbd> play · <kbd>←</kbd>
          <kbd>→</kbd> step · <kbd>Home</kbd>
          <kbd>End</kbd> start, end · <kbd>PgUp</kbd>
          <kbd>PgDn</kbd> blocks · click, shift-click to select
        </span>
        {selection.length > 0 && (
          <span className={styles.selection} data-testid='player-selection'>
            {selection.length} {selection.length === 1 ? 'position' : 'positions'} selected
            <button type='button' className={styles.linkButton} onClick={() => select([])}>
              Clear
            </button>
          </span>
        )}
        {exportError && (
          <span role='alert' data-testid='player-export-error'>
            {exportError}
          </span>
        )}
      </div>
    </section>
  );
}
