/**
 * Token grid: one fixed-width cell per canvas position, in position order, so a cell never
 * moves while the run reveals it. Masked cells are hatched, cells revealed by the latest
 * step are highlighted, settled cells are shaded by the model's confidence in their token.
 */
import { memo, type CSSProperties } from 'react';
import { cellState, visibleWhitespace, type CellState } from './token-label';
import styles from './TokenGrid.module.css';

export interface TokenGridProps {
  canvas: number[];
  confidence: number[];
  revealedAtStep: number[];
  stepCount: number;
  maskId: number;
  /** EOS and pad ids, drawn as the end of the sequence. */
  endIds: number[];
  blocks: { start: number; end: number }[];
  currentBlock: number;
  tokenText: (id: number) => string;
}

interface CellProps {
  position: number;
  state: CellState;
  label: string;
  confidence: number;
  step: number;
  blockStart: boolean;
  activeBlock: boolean;
}

const Cell = memo(function Cell({ position, state, label, confidence, step, blockStart, activeBlock }: CellProps) {
  const cellText = state === 'masked' ? '' : visibleWhitespace(label);
  const title =
    state === 'masked'
      ? `position ${position}: masked`
      : `position ${position}: ${JSON.stringify(label)}, p = ${confidence.toFixed(3)}, revealed at step ${step + 1}`;
  return (
    <div
      className={styles.cell}
      data-state={state}
      data-block-start={blockStart || undefined}
      data-active-block={activeBlock || undefined}
      style={{ '--confidence': confidence.toFixed(3) } as CSSProperties}
      title={title}
    >
      {cellText}
    </div>
  );
});

export function TokenGrid(props: TokenGridProps) {
  const { canvas, confidence, revealedAtStep, stepCount, maskId, endIds, blocks, currentBlock, tokenText } = props;
  if (canvas.length === 0) {
    return (
      <div className={styles.empty} data-testid='token-grid'>
        Press Run to watch the canvas unmask.
      </div>
    );
  }

  const blockStarts = new Set(blocks.map((b) => b.start));
  const active = blocks[currentBlock];
  return (
    <div className={styles.grid} data-testid='token-grid' role='list' aria-label='Canvas tokens'>
      {canvas.map((token, position) => (
        <Cell
          key={position}
          position={position}
          state={cellState(token, revealedAtStep[position], stepCount, maskId, endIds)}
          label={token === maskId ? '' : tokenText(token)}
          confidence={confidence[position] ?? 0}
          step={revealedAtStep[position]}
          blockStart={position > 0 && blockStarts.has(position)}
          activeBlock={active !== undefined && position >= active.start && position < active.end}
        />
      ))}
    </div>
  );
}

function LegendItem({ state, confidence, label }: { state: CellState; confidence?: number[]; label: string }) {
  const swatches = confidence ?? [1];
  return (
    <span className={styles.legendItem}>
      {swatches.map((c) => (
        <span key={c} className={styles.swatch} data-state={state} style={{ '--confidence': c } as CSSProperties} />
      ))}
      {label}
    </span>
  );
}

export function TokenGridLegend() {
  return (
    <div className={styles.legend}>
      <LegendItem state='masked' label='masked' />
      <LegendItem state='new' label='revealed this step' />
      <LegendItem state='settled' confidence={[0.35, 1]} label='settled, shade = confidence' />
      <LegendItem state='end' label='end of sequence' />
    </div>
  );
}
