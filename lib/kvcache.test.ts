import { describe, expect, it } from 'vitest';
import { KVCache } from './kvcache';

describe('KVCache', () => {
  it('appends along the position axis of each head', () => {
    const cache = new KVCache(1, 2, 2);
    // [1, heads=2, q=1, headDim=2]
    cache.append([Float32Array.from([1, 2, 3, 4])], [Float32Array.from([5, 6, 7, 8])], 1);
    // [1, heads=2, q=2, headDim=2]
    cache.append([Float32Array.from([10, 11, 12, 13, 20, 21, 22, 23])], [Float32Array.from([0, 0, 0, 0, 0, 0, 0, 0])], 2);
    expect(cache.length).toBe(3);
    expect(Array.from(cache.keys[0])).toEqual([1, 2, 10, 11, 12, 13, 3, 4, 20, 21, 22, 23]);
    expect(Array.from(cache.values[0])).toEqual([5, 6, 0, 0, 0, 0, 7, 8, 0, 0, 0, 0]);
  });

  it('rejects a window of the wrong size', () => {
    const cache = new KVCache(1, 2, 2);
    expect(() => cache.append([new Float32Array(3)], [new Float32Array(3)], 1)).toThrow(/expected 4 values for 1 positions, got 3/);
  });
});
