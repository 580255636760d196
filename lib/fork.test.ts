import { describe, expect, it } from 'vitest';
import { parseSampleStart } from './fork';

const MASK = 9;
const limits = { genLength: 4, vocabSize: 10, maskId: MASK };

describe('parseSampleStart', () => {
  it('accepts a canvas with masks, pins and a parent', () => {
    const start = { initialCanvas: [1, MASK, 2, MASK], pinned: [0, 2], parent: { id: 'abc', step: 3 } };
    expect(parseSampleStart(start, limits)).toEqual(start);
  });

  it.each([
    ['a canvas of the wrong length', { initialCanvas: [1, MASK] }, /initialCanvas has 2 token ids, but genLength is 4/],
    ['a token id past the vocabulary', { initialCanvas: [1, 10, MASK, MASK] }, /initialCanvas\[1\] = 10 is not a token id in \[0, 10\)/],
    ['a negative token id', { initialCanvas: [-1, MASK, MASK, MASK] }, /initialCanvas\.0/],
    ['a fractional token id', { initialCanvas: [1.5, MASK, MASK, MASK] }, /initialCanvas\.0/],
    ['a canvas without a mask', { initialCanvas: [1, 2, 3, 4] }, /no mask token/],
    ['a pinned position off the canvas', { initialCanvas: [1, MASK, MASK, MASK], pinned: [4] }, /pinned position 4 is outside the canvas/],
    ['a pinned position twice', { initialCanvas: [1, MASK, MASK, MASK], pinned: [0, 0] }, /appears twice/],
    ['a pinned mask', { initialCanvas: [1, MASK, MASK, MASK], pinned: [1] }, /pinned position 1 is masked/],
    ['an unknown field', { initialCanvas: [1, MASK, MASK, MASK], extra: true }, /Unrecognized key/i],
    ['a parent without id', { initialCanvas: [1, MASK, MASK, MASK], parent: { id: '', step: 1 } }, /parent\.id/],
    ['no object at all', 'canvas', /Invalid fork start/],
  ])('rejects %s', (_name, input, message) => {
    expect(() => parseSampleStart(input, limits)).toThrow(message);
  });
});
