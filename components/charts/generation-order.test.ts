import { describe, expect, it } from 'vitest';
import { blockBoundaries, gridColumns, orderCells } from './generation-order';
import { buildTrajectory, reveal } from './test-trajectory';

describe('gridColumns', () => {
  it('uses block size when it fits', () => {
    expect(gridColumns(640, 256, 32)).toBe(32);
  });

  it('falls back to a power of two', () => {
    expect(gridColumns(1000, 256, 256)).toBe(64);
    expect(gridColumns(350, 256, 256)).toBe(32);
    expect(gridColumns(1000, 256, 4)).toBe(64);
  });

  it('never exceeds the canvas length', () => {
    expect(gridColumns(1000, 12, 4)).toBe(12);
  });

  it('fits a very narrow plot', () => {
    expect(gridColumns(50, 256, 32)).toBe(5);
  });
});

describe('orderCells', () => {
  const t = buildTrajectory({
    genLength: 6,
    blockSize: 3,
    stepsPerBlock: 2,
    decodedLength: 3,
    steps: [
      { block: 0, events: reveal(1) },
      { block: 0, events: reveal(0, 2) },
    ],
  });

  it('places positions row by row', () => {
    const cells = orderCells(t, 4);
    expect(cells.map((c) => [c.row, c.column])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 0],
      [1, 1],
    ]);
  });

  it('records settle step and block', () => {
    const cells = orderCells(t, 4);
    expect(cells.map((c) => c.settleStep)).toEqual([2, 1, 2, 0, 0, 0]);
    expect(cells.map((c) => c.block)).toEqual([0, 0, 0, 1, 1, 1]);
  });
});

describe('blockBoundaries', () => {
  it('draws a step inside a row', () => {
    // Blocks of 3 on rows of 4: block 1 starts at column 3 of row 0.
    const t = buildTrajectory({ genLength: 8, blockSize: 3, stepsPerBlock: 1, steps: [] });
    const segments = blockBoundaries(orderCells(t, 4), 4);
    // Rows [0 0 0 1] and [1 1 2 2] by block: every cell of row 0 sits above another block.
    expect(segments).toHaveLength(6);
    expect(segments).toContainEqual({ x1: 3, y1: 0, x2: 3, y2: 1 }); // between positions 2 | 3
    expect(segments).toContainEqual({ x1: 2, y1: 1, x2: 2, y2: 2 }); // between positions 5 | 6
    for (let column = 0; column < 4; column++) {
      expect(segments).toContainEqual({ x1: column, y1: 1, x2: column + 1, y2: 1 });
    }
  });

  it('draws full rows when blocks align', () => {
    const t = buildTrajectory({ genLength: 8, blockSize: 4, stepsPerBlock: 1, steps: [] });
    const segments = blockBoundaries(orderCells(t, 4), 4);
    expect(segments).toHaveLength(4);
    expect(segments.every((s) => s.y1 === 1 && s.y2 === 1)).toBe(true);
  });
});
