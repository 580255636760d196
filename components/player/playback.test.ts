/**
 * Playback store and ticker tests. The ticker runs on a hand-driven requestAnimationFrame,
 * so frame times are exact.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachTicker, createPlaybackStore, timelineOf } from './playback';

describe('createPlaybackStore', () => {
  it('follows live run by default', () => {
    const store = createPlaybackStore();
    store.getState().setStepCount(3);
    expect(store.getState().step).toBe(3);
    store.getState().setStepCount(5);
    expect(store.getState().step).toBe(5);
    expect(store.getState().followLive).toBe(true);
  });

  it('stops following after stepping back', () => {
    const store = createPlaybackStore();
    store.getState().setStepCount(5);
    store.getState().stepBack();
    expect(store.getState()).toMatchObject({ step: 4, followLive: false });
    store.getState().setStepCount(8);
    expect(store.getState().step).toBe(4);

    store.getState().seek(8);
    expect(store.getState().followLive).toBe(true);
    store.getState().setStepCount(9);
    expect(store.getState().step).toBe(9);
  });

  it('clamps seek and steps', () => {
    const store = createPlaybackStore();
    store.getState().setStepCount(4);
    store.getState().seek(-2);
    expect(store.getState().step).toBe(0);
    store.getState().stepBack();
    expect(store.getState().step).toBe(0);
    store.getState().seek(99);
    expect(store.getState().step).toBe(4);
    store.getState().stepForward();
    expect(store.getState().step).toBe(4);
    store.getState().seek(2.6);
    expect(store.getState().step).toBe(3);
  });

  it('restarts play from end', () => {
    const store = createPlaybackStore();
    store.getState().setStepCount(4);
    store.getState().play();
    expect(store.getState()).toMatchObject({ step: 0, playing: true, followLive: false });
    store.getState().toggle();
    expect(store.getState().playing).toBe(false);
  });

  it('does not play without steps', () => {
    const store = createPlaybackStore();
    store.getState().play();
    expect(store.getState().playing).toBe(false);
  });

  it('pauses at end of playback', () => {
    const store = createPlaybackStore();
    store.getState().setStepCount(4);
    store.getState().seek(1);
    store.getState().play();
    store.getState().advance(2);
    expect(store.getState()).toMatchObject({ step: 3, playing: true });
    store.getState().advance(5);
    expect(store.getState()).toMatchObject({ step: 4, playing: false, followLive: true });
  });

  it('jumps between block ends', () => {
    const store = createPlaybackStore();
    store.getState().setStepCount(12, [4, 8]);
    store.getState().seek(0);
    const visited: number[] = [];
    for (let i = 0; i < 4; i++) {
      store.getState().jumpToNextBlock();
      visited.push(store.getState().step);
    }
    expect(visited).toEqual([4, 8, 12, 12]);

    store.getState().seek(6);
    store.getState().jumpToPreviousBlock();
    expect(store.getState().step).toBe(4);
    store.getState().jumpToPreviousBlock();
    expect(store.getState().step).toBe(0);
  });

  it('merges timelines of several players', () => {
    const store = createPlaybackStore();
    store.getState().setTimeline('a', { stepCount: 10, blockEnds: [5] });
    store.getState().setTimeline('b', { stepCount: 16, blockEnds: [4, 8, 12] });
    expect(store.getState()).toMatchObject({ stepCount: 16, blockEnds: [4, 5, 8, 12], step: 16 });

    store.getState().seek(14);
    store.getState().setTimeline('b', null);
    expect(store.getState()).toMatchObject({ stepCount: 10, blockEnds: [5], step: 10 });
  });

  it('timelineOf marks block changes', () => {
    const steps = [0, 0, 0, 1, 1, 2].map((block) => ({ block }));
    expect(timelineOf(steps)).toEqual({ stepCount: 6, blockEnds: [3, 5] });
    expect(timelineOf([])).toEqual({ stepCount: 0, blockEnds: [] });
  });

  it('keeps the step while a second source stays', () => {
    // The run views register the run as well as the player, which a chart tab unmounts.
    const store = createPlaybackStore();
    const timeline = timelineOf([0, 0, 1, 1].map((block) => ({ block })));
    store.getState().setTimeline('views', timeline);
    store.getState().setTimeline('player', timeline);
    store.getState().seek(3);
    store.getState().setTimeline('player', null);
    expect(store.getState()).toMatchObject({ stepCount: 4, step: 3, blockEnds: [2] });
    store.getState().seek(1);
    expect(store.getState().step).toBe(1);
  });

  it('rejects invalid speeds', () => {
    const store = createPlaybackStore();
    expect(() => store.getState().setSpeed(0)).toThrow(/invalid speed 0.*1, 2, 5, 10, 30, 60/);
    expect(() => store.getState().setSpeed(Number.NaN)).toThrow(/invalid speed NaN/);
    store.getState().setSpeed(30);
    expect(store.getState().speed).toBe(30);
    expect(() => createPlaybackStore({ speed: -1 })).toThrow(/invalid speed -1/);
  });

  it('turns follow live back on', () => {
    const store = createPlaybackStore();
    store.getState().setStepCount(6);
    store.getState().seek(2);
    store.getState().setFollowLive(true);
    expect(store.getState()).toMatchObject({ step: 6, followLive: true });
  });
});

describe('attachTicker', () => {
  let callbacks: Map<number, FrameRequestCallback>;
  let nextId: number;

  beforeEach(() => {
    callbacks = new Map();
    nextId = 1;
    globalThis.requestAnimationFrame = (callback) => {
      callbacks.set(nextId, callback);
      return nextId++;
    };
    globalThis.cancelAnimationFrame = (id) => void callbacks.delete(id);
  });

  afterEach(() => {
    // @ts-expect-error: node has no requestAnimationFrame of its own
    delete globalThis.requestAnimationFrame;
    // @ts-expect-error: see above
    delete globalThis.cancelAnimationFrame;
  });

  /** Runs the pending frame callbacks at time `now` (ms). */
  function frame(now: number): void {
    const pending = [...callbacks.values()];
    callbacks.clear();
    for (const callback of pending) callback(now);
  }

  it('advances at speed', () => {
    const store = createPlaybackStore({ speed: 60 });
    store.getState().setStepCount(500);
    const release = attachTicker(store);
    store.getState().play();

    const frameMs = 1000 / 60;
    const steps: number[] = [];
    for (let i = 0; i <= 60; i++) {
      frame(i * frameMs + (i % 2 === 0 ? 1.5 : -1.5)); // jitter of ±1.5 ms
      steps.push(store.getState().step);
    }
    // One step per frame despite the jitter, 60 in one second.
    expect(steps.slice(1).map((s, i) => s - steps[i])).toEqual(new Array(60).fill(1));
    release();
  });

  it('runs one loop per store', () => {
    const store = createPlaybackStore({ speed: 10 });
    store.getState().setStepCount(100);
    const releases = [attachTicker(store), attachTicker(store), attachTicker(store)];
    store.getState().play();
    expect(callbacks.size).toBe(1);

    for (let t = 0; t <= 1000; t += 50) frame(t);
    expect(store.getState().step).toBe(10);

    releases[0]();
    releases[0]();
    releases[1]();
    frame(1100);
    expect(store.getState().step).toBe(11);
    releases[2]();
    expect(callbacks.size).toBe(0);
  });

  it('stops requesting frames when paused', () => {
    const store = createPlaybackStore({ speed: 5 });
    store.getState().setStepCount(3);
    const release = attachTicker(store);
    store.getState().play();
    for (let t = 0; t <= 2000 && callbacks.size > 0; t += 100) frame(t);
    expect(store.getState()).toMatchObject({ step: 3, playing: false });
    expect(callbacks.size).toBe(0);
    release();
  });
});
