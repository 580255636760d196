/**
 * Playback store for trajectory players: the step shown, whether it plays and how fast.
 *
 * Step k means "after k denoising steps": 0 is the starting canvas (all masked), and
 * `stepCount` is the latest step. One store can drive several players, which is how the
 * compare view synchronises them. Each player registers its trajectory's timeline (step
 * count and block ends) under its own id, and the store plays over the longest timeline.
 *
 * `usePlaybackTicker` advances a playing store on requestAnimationFrame. However many
 * players share a store, only one ticker runs per store.
 */
import { useEffect } from 'react';
import { createStore, type StoreApi } from 'zustand/vanilla';

/** Speeds offered by the player's toolbar, in steps per second. */
export const PLAYBACK_SPEEDS = [1, 2, 5, 10, 30, 60] as const;

export const DEFAULT_SPEED = 10;

/** One trajectory's part of a store: its step count and block ends. */
export interface Timeline {
  stepCount: number;
  /** Steps k (ascending, 1 ≤ k < stepCount) after which a block is complete. */
  blockEnds: readonly number[];
}

export interface PlaybackState {
  /** Steps applied to the canvas shown: 0 (all masked) … stepCount. */
  step: number;
  /** Longest registered timeline. */
  stepCount: number;
  playing: boolean;
  /** Steps per second. */
  speed: number;
  /** While on, the step stays at stepCount as a live run adds steps. */
  followLive: boolean;
  /** Union of the registered timelines' block ends, ascending. */
  blockEnds: readonly number[];
  /** Registered timelines by source id. */
  timelines: Readonly<Record<string, Timeline>>;

  /** Starts playing, from step 0 when the end is shown. */
  play(): void;
  pause(): void;
  toggle(): void;
  stepForward(): void;
  stepBack(): void;
  /** Shows `step`, clamped to [0, stepCount]. Stops playback. */
  seek(step: number): void;
  /** Moves `steps` ahead while playing. Reaching the end pauses and turns followLive on. */
  advance(steps: number): void;
  setSpeed(speed: number): void;
  setFollowLive(followLive: boolean): void;
  /** Seeks to the next block end after the current step, or to the end. */
  jumpToNextBlock(): void;
  /** Seeks to the last block end before the current step, or to step 0. */
  jumpToPreviousBlock(): void;
  /** Sets the step count (and block ends) of a store that a single source feeds. */
  setStepCount(stepCount: number, blockEnds?: readonly number[]): void;
  /** Registers, updates (as a live run grows) or, with null, removes one source's timeline. */
  setTimeline(sourceId: string, timeline: Timeline | null): void;
}

export type PlaybackStore = StoreApi<PlaybackState>;

/** Returns the timeline of a run's steps: their count, and the steps after which the block changes. */
export function timelineOf(steps: readonly { block: number }[]): Timeline {
  const blockEnds: number[] = [];
  for (let k = 1; k < steps.length; k++) if (steps[k].block !== steps[k - 1].block) blockEnds.push(k);
  return { stepCount: steps.length, blockEnds };
}

export interface PlaybackOptions {
  step?: number;
  speed?: number;
  followLive?: boolean;
}

const MANUAL_SOURCE = '__manual';

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function checkSpeed(speed: number): number {
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new Error(`[playback] invalid speed ${speed}: expected a positive number of steps per second, such as ${PLAYBACK_SPEEDS.join(', ')}`);
  }
  return speed;
}

function mergeTimelines(timelines: Readonly<Record<string, Timeline>>): { stepCount: number; blockEnds: number[] } {
  let stepCount = 0;
  const ends = new Set<number>();
  for (const timeline of Object.values(timelines)) {
    stepCount = Math.max(stepCount, timeline.stepCount);
    for (const end of timeline.blockEnds) ends.add(end);
  }
  return { stepCount, blockEnds: [...ends].sort((a, b) => a - b) };
}

export function createPlaybackStore(options: PlaybackOptions = {}): PlaybackStore {
  return createStore<PlaybackState>()((set, get) => {
    /** Shows `step`. Following the live run is on exactly when the step is the last one. */
    const show = (step: number, playing: boolean) => {
      const { stepCount } = get();
      const clamped = clamp(Math.round(step), 0, stepCount);
      set({ step: clamped, playing, followLive: clamped === stepCount });
    };

    return {
      step: Math.max(0, options.step ?? 0),
      stepCount: 0,
      playing: false,
      speed: checkSpeed(options.speed ?? DEFAULT_SPEED),
      followLive: options.followLive ?? true,
      blockEnds: [],
      timelines: {},

      play() {
        const { step, stepCount } = get();
        if (stepCount === 0) return;
        if (step >= stepCount) set({ step: 0, followLive: false, playing: true });
        else set({ playing: true, followLive: false });
      },
      pause: () => set({ playing: false }),
      toggle: () => (get().playing ? get().pause() : get().play()),
      stepForward: () => show(get().step + 1, false),
      stepBack: () => show(get().step - 1, false),
      seek: (step) => show(step, false),

      advance(steps) {
        const { step, stepCount, playing } = get();
        if (!playing) return;
        const next = Math.min(stepCount, step + steps);
        if (next >= stepCount) set({ step: stepCount, playing: false, followLive: true });
        else set({ step: next });
      },

      setSpeed: (speed) => set({ speed: checkSpeed(speed) }),

      setFollowLive(followLive) {
        if (followLive) set({ followLive: true, playing: false, step: get().stepCount });
        else set({ followLive: false });
      },

      jumpToNextBlock() {
        const { step, stepCount, blockEnds } = get();
        show(blockEnds.find((end) => end > step) ?? stepCount, false);
      },

      jumpToPreviousBlock() {
        const { step, blockEnds } = get();
        show(blockEnds.findLast((end) => end < step) ?? 0, false);
      },

      setStepCount(stepCount, blockEnds) {
        const previous = get().timelines[MANUAL_SOURCE];
        get().setTimeline(MANUAL_SOURCE, { stepCount, blockEnds: blockEnds ?? previous?.blockEnds ?? [] });
      },

      setTimeline(sourceId, timeline) {
        const timelines = { ...get().timelines };
        if (timeline === null) delete timelines[sourceId];
        else timelines[sourceId] = { stepCount: Math.max(0, Math.floor(timeline.stepCount)), blockEnds: timeline.blockEnds };

        const { stepCount, blockEnds } = mergeTimelines(timelines);
        const { followLive, playing } = get();
        const step = followLive && !playing ? stepCount : Math.min(get().step, stepCount);
        set({ timelines, stepCount, blockEnds, step, playing: playing && step < stepCount });
      },
    };
  });
}

// Per store: how many tickers were requested, and how to stop the one running.
const tickers = new WeakMap<PlaybackStore, { users: number; stop: () => void }>();

// Maximum frame gap counted, so a tab that was hidden does not jump far ahead on return.
const MAX_FRAME_GAP_MS = 250;

/**
 * Advances `store` on requestAnimationFrame while it plays, at `speed` steps per second.
 * Returns a function that stops the loop.
 */
function runTicker(store: PlaybackStore): () => void {
  let frame = 0;
  let lastTime: number | null = null;
  // Starting half a step in means frame-time jitter around the step interval does not
  // alternate between frames with no step and frames with two.
  let carry = 0.5;

  const tick = (now: number) => {
    frame = 0;
    const state = store.getState();
    if (!state.playing) return;
    if (lastTime !== null) {
      carry += (Math.min(now - lastTime, MAX_FRAME_GAP_MS) * state.speed) / 1000;
      const whole = Math.floor(carry);
      if (whole > 0) {
        carry -= whole;
        state.advance(whole);
      }
    }
    lastTime = now;
    frame = requestAnimationFrame(tick);
  };

  const sync = (playing: boolean) => {
    if (playing && frame === 0) {
      lastTime = null;
      carry = 0.5;
      frame = requestAnimationFrame(tick);
    } else if (!playing && frame !== 0) {
      cancelAnimationFrame(frame);
      frame = 0;
    }
  };

  sync(store.getState().playing);
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.playing !== previous.playing) sync(state.playing);
  });
  return () => {
    unsubscribe();
    sync(false);
  };
}

/** Starts the store's ticker unless one runs already, and returns the matching release. */
export function attachTicker(store: PlaybackStore): () => void {
  let entry = tickers.get(store);
  if (entry === undefined) {
    entry = { users: 0, stop: runTicker(store) };
    tickers.set(store, entry);
  }
  entry.users++;

  let released = false;
  return () => {
    if (released) return;
    released = true;
    entry.users--;
    if (entry.users === 0) {
      entry.stop();
      tickers.delete(store);
    }
  };
}

/**
 * Plays `store` at its speed while the component is mounted. Playback steps whether or not
 * the user prefers reduced motion, because the player's CSS drops the animated transitions.
 */
export function usePlaybackTicker(store: PlaybackStore): void {
  useEffect(() => attachTicker(store), [store]);
}
