'use client';
/** One cell of the notebook: the frame with its toolbar, and the body for the cell's kind. */
import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { CellFrame } from '@/components/notebook/CellFrame';
import type { Cell } from '@/lib/notebook';
import { useNotebookStore } from '../state/store';
import { CompareCellContainer } from './CompareCellContainer';
import { ExperimentCellContainer } from './ExperimentCellContainer';
import { MarkdownCellContainer } from './MarkdownCellContainer';
import { SweepCellContainer } from './SweepCellContainer';

const PLACEHOLDERS: Record<Cell['kind'], string> = {
  markdown: 'Notes',
  experiment: 'Untitled experiment',
  compare: 'Untitled comparison',
  sweep: 'Untitled sweep',
};

function firstLine(text: string): string {
  return text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
}

function summary(cell: Cell): string {
  switch (cell.kind) {
    case 'markdown':
      return firstLine(cell.source).replace(/^#+\s*/, '') || 'Empty text cell';
    case 'experiment': {
      const c = cell.config;
      return `${firstLine(c.prompt)} · ${c.genLength} tokens, blocks of ${c.blockSize}, ${c.stepsPerBlock} steps, ${c.schedule}, ${c.policy}`;
    }
    case 'compare':
      return `${cell.configs.length} runs: ${cell.configs.map((c) => `${c.schedule}/${c.policy}/block ${c.blockSize}`).join(' · ')}`;
    case 'sweep':
      return `${cell.x.field} ${cell.x.values.join(', ')}${cell.y ? ` × ${cell.y.field} ${cell.y.values.join(', ')}` : ''} over ${cell.prompts.length} prompts`;
  }
}

export const CellContainer = memo(function CellContainer({ cell, index, count }: { cell: Cell; index: number; count: number }) {
  const actions = useNotebookStore(
    useShallow((s) => ({ setCellTitle: s.setCellTitle, toggleCollapsed: s.toggleCollapsed, moveCell: s.moveCell, duplicateCell: s.duplicateCell, deleteCell: s.deleteCell })),
  );
  return (
    <CellFrame
      id={cell.id}
      kind={cell.kind}
      title={cell.title ?? ''}
      titlePlaceholder={cell.kind === 'markdown' ? summary(cell) : PLACEHOLDERS[cell.kind]}
      collapsed={cell.collapsed ?? false}
      summary={summary(cell)}
      isFirst={index === 0}
      isLast={index === count - 1}
      onTitleChange={(title) => actions.setCellTitle(cell.id, title)}
      onToggleCollapsed={() => actions.toggleCollapsed(cell.id)}
      onMove={(delta) => actions.moveCell(cell.id, delta)}
      onDuplicate={() => actions.duplicateCell(cell.id)}
      onDelete={() => actions.deleteCell(cell.id)}
    >
      {cell.kind === 'markdown' && <MarkdownCellContainer cell={cell} />}
      {cell.kind === 'experiment' && <ExperimentCellContainer cell={cell} />}
      {cell.kind === 'compare' && <CompareCellContainer cell={cell} />}
      {cell.kind === 'sweep' && <SweepCellContainer cell={cell} />}
    </CellFrame>
  );
});
