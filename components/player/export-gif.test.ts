/**
 * GIF export helpers that need no canvas: which steps become frames and the image size.
 * The encoding itself runs in Chromium (e2e/player.spec.ts counts the frames it writes).
 */
import { describe, expect, it } from 'vitest';
import { frameSteps, gridGeometry } from './export-gif';

describe('frameSteps', () => {
  it('keeps every step of short run', () => {
    expect(frameSteps(5, 150)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('samples long run evenly', () => {
    const steps = frameSteps(512, 150);
    expect(steps).toHaveLength(150);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(512);
    const gaps = steps.slice(1).map((s, i) => s - steps[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(3);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(4);
  });

  it('rejects fewer than two frames', () => {
    expect(() => frameSteps(10, 1)).toThrow(/invalid maxFrames 1/);
  });
});

describe('gridGeometry', () => {
  it('draws short canvas with labels', () => {
    const g = gridGeometry(64);
    expect(g.columns).toBe(16);
    expect(g.width).toBe(8 * 2 + 16 * 48 + 15 * 2);
    expect(g.height).toBe(8 * 2 + 20 + 4 * 20 + 3 * 2);
    expect(g.charsPerCell).toBeGreaterThan(4);
  });

  it('shrinks cells of long canvas', () => {
    const g = gridGeometry(1024);
    expect(g.columns).toBe(32);
    expect(g.charsPerCell).toBe(0);
    expect(g.width).toBeLessThan(900);
    expect(g.height).toBeLessThan(500);
  });
});
