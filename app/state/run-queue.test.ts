import { describe, expect, it, vi } from 'vitest';
import type { SampleEvent } from '@/lib/sampler';
import type { Trajectory } from '@/lib/trajectory';
import type { RunHandlers } from './run-handle';
import { createRunQueue, type QueueHandlers } from './run-queue';

/** A fake runtime whose runs end when the test calls their handlers. */
function fakeRuns() {
  const started: { name: string; handlers: RunHandlers; stop: ReturnType<typeof vi.fn> }[] = [];
  const start = (name: string) => (handlers: RunHandlers) => {
    const stop = vi.fn(() => handlers.onStopped());
    started.push({ name, handlers, stop });
    return { stop };
  };
  return { started, start };
}

function handlers(log: string[], name: string): QueueHandlers {
  return {
    onStart: () => log.push(`${name} start`),
    onLoadProgress: () => {},
    onEvent: (e) => log.push(`${name} ${e.type}`),
    onStopped: () => log.push(`${name} stopped`),
    onError: (m) => log.push(`${name} error ${m}`),
  };
}

const done = { type: 'done', trajectory: {} as Trajectory } as SampleEvent;

describe('run queue', () => {
  it('starts runs one at a time in order', () => {
    const queue = createRunQueue();
    const { started, start } = fakeRuns();
    const log: string[] = [];
    queue.enqueue(start('a'), handlers(log, 'a'));
    queue.enqueue(start('b'), handlers(log, 'b'));
    expect(started.map((s) => s.name)).toEqual(['a']);
    expect(queue.pending).toBe(1);

    started[0].handlers.onEvent(done);
    expect(started.map((s) => s.name)).toEqual(['a', 'b']);
    expect(log).toEqual(['a start', 'a done', 'b start']);
  });

  it('starts the next run after an error', () => {
    const queue = createRunQueue();
    const { started, start } = fakeRuns();
    const log: string[] = [];
    queue.enqueue(start('a'), handlers(log, 'a'));
    queue.enqueue(start('b'), handlers(log, 'b'));
    started[0].handlers.onError('boom');
    expect(log).toEqual(['a start', 'a error boom', 'b start']);
  });

  it('removes a waiting run on stop', () => {
    const queue = createRunQueue();
    const { started, start } = fakeRuns();
    const log: string[] = [];
    queue.enqueue(start('a'), handlers(log, 'a'));
    const b = queue.enqueue(start('b'), handlers(log, 'b'));
    queue.enqueue(start('c'), handlers(log, 'c'));
    b.stop();
    expect(log).toEqual(['a start', 'b stopped']);
    started[0].handlers.onEvent(done);
    expect(started.map((s) => s.name)).toEqual(['a', 'c']);
  });

  it('stops the running run through its handle', () => {
    const queue = createRunQueue();
    const { started, start } = fakeRuns();
    const log: string[] = [];
    const a = queue.enqueue(start('a'), handlers(log, 'a'));
    queue.enqueue(start('b'), handlers(log, 'b'));
    a.stop();
    expect(started[0].stop).toHaveBeenCalledOnce();
    expect(log).toEqual(['a start', 'a stopped', 'b start']);
  });

  it('reports a start that throws and goes on', () => {
    const queue = createRunQueue();
    const { started, start } = fakeRuns();
    const log: string[] = [];
    queue.enqueue(() => {
      throw new Error('no worker');
    }, handlers(log, 'a'));
    queue.enqueue(start('b'), handlers(log, 'b'));
    expect(log).toEqual(['a start', 'a error no worker', 'b start']);
    expect(started).toHaveLength(1);
  });
});
