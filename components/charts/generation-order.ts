/**
 * Data of the generation-order heatmap: the step at which each canvas position settled,
 * laid out as a fixed-width grid in reading order, and the edges between grid cells that
 * belong to different blocks.
 */
import { settleSteps } from '@/lib/metrics';
import type { Trajectory } from '@/lib/trajectory';

export interface OrderCell {
  position: number;
  row: number;
  column: number;
  /** 1-based step after which the position kept its final token; 0 if never decoded. */
  settleStep: number;
  block: number;
}

/** A grid line segment in cell units: from (x1, y1) to (x2, y2), column and row coordinates. */
export interface GridSegment {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Narrowest cell the heatmap draws, in CSS pixels. */
export const MIN_CELL_PX = 10;

/**
 * Chooses how many positions one grid row shows. That is the block size when a block fits
 * on a row of cells at least MIN_CELL_PX wide, so blocks line up as rows. Otherwise it is
 * the largest of 64, 32, 16 and 8 that fits. It is never more than the canvas length.
 */
export function gridColumns(plotWidth: number, genLength: number, blockSize: number): number {
  const maxColumns = Math.max(1, Math.floor(plotWidth / MIN_CELL_PX));
  let columns: number;
  if (blockSize >= 8 && blockSize <= Math.min(64, maxColumns)) columns = blockSize;
  else columns = [64, 32, 16, 8].find((c) => c <= maxColumns) ?? maxColumns;
  return Math.max(1, Math.min(columns, genLength));
}

/** Returns one cell per canvas position with its grid place, block and settling step. */
export function orderCells(trajectory: Pick<Trajectory, 'genLength' | 'steps' | 'blocks'>, columns: number): OrderCell[] {
  const settled = settleSteps(trajectory);
  const blockOf = blockIndexByPosition(trajectory.blocks, trajectory.genLength);
  return settled.map((settleStep, position) => ({
    position,
    row: Math.floor(position / columns),
    column: position % columns,
    settleStep,
    block: blockOf[position],
  }));
}

/**
 * Returns the grid edges between neighbouring cells of different blocks, so a block
 * boundary that falls inside a row is drawn as a step around it.
 */
export function blockBoundaries(cells: OrderCell[], columns: number): GridSegment[] {
  const segments: GridSegment[] = [];
  for (const cell of cells) {
    const right = cell.column + 1 < columns ? cells[cell.position + 1] : undefined;
    if (right && right.block !== cell.block) {
      segments.push({ x1: cell.column + 1, y1: cell.row, x2: cell.column + 1, y2: cell.row + 1 });
    }
    const below = cells[cell.position + columns];
    if (below && below.block !== cell.block) {
      segments.push({ x1: cell.column, y1: cell.row + 1, x2: cell.column + 1, y2: cell.row + 1 });
    }
  }
  return segments;
}

function blockIndexByPosition(blocks: { start: number; end: number }[], genLength: number): number[] {
  const blockOf = new Array<number>(genLength).fill(-1);
  blocks.forEach((block, b) => {
    for (let p = block.start; p < block.end && p < genLength; p++) blockOf[p] = b;
  });
  return blockOf;
}
