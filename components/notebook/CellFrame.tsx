/**
 * Frame of one notebook cell: kind, editable title and the cell toolbar (collapse, move up
 * and down, duplicate, delete). A collapsed cell shows only its header and a summary line.
 */
import type { ReactNode } from 'react';
import styles from './Notebook.module.css';

export interface CellFrameProps {
  id: string;
  kind: 'markdown' | 'experiment' | 'compare' | 'sweep';
  title: string;
  titlePlaceholder: string;
  collapsed: boolean;
  /** One line shown under the header while collapsed. */
  summary: string;
  isFirst: boolean;
  isLast: boolean;
  onTitleChange(title: string): void;
  onToggleCollapsed(): void;
  onMove(delta: number): void;
  onDuplicate(): void;
  onDelete(): void;
  children: ReactNode;
}

/** 16 px stroke icons, drawn in the current text colour. */
function Icon({ path }: { path: string }) {
  return (
    <svg width='16' height='16' viewBox='0 0 16 16' fill='none' stroke='currentColor' strokeWidth='1.6' strokeLinecap='round' strokeLinejoin='round' aria-hidden='true'>
      <path d={path} />
    </svg>
  );
}

const ICONS = {
  expanded: 'M4 6l4 4 4-4',
  collapsed: 'M6 4l4 4-4 4',
  up: 'M8 13V3M4 7l4-4 4 4',
  down: 'M8 3v10M4 9l4 4 4-4',
  duplicate: 'M5.5 5.5h7v7h-7zM3.5 10.5v-7h7',
  delete: 'M4 4l8 8M12 4l-8 8',
};

const KIND_LABELS: Record<CellFrameProps['kind'], string> = {
  markdown: 'Text',
  experiment: 'Experiment',
  compare: 'Compare',
  sweep: 'Sweep',
};

export function CellFrame(props: CellFrameProps) {
  const { id, kind, title, collapsed } = props;
  const name = title || props.titlePlaceholder;
  return (
    <article className={styles.cell} data-testid='cell' data-kind={kind} data-cell-id={id} data-collapsed={collapsed} aria-label={`${KIND_LABELS[kind]} cell: ${name}`}>
      <header className={styles.cellHeader}>
        <button
          type='button'
          className={styles.iconButton}
          data-testid='cell-collapse'
          aria-expanded={!collapsed}
          aria-label={collapsed ? `Expand ${name}` : `Collapse ${name}`}
          title={collapsed ? 'Expand' : 'Collapse'}
          onClick={props.onToggleCollapsed}
        >
          <Icon path={collapsed ? ICONS.collapsed : ICONS.expanded} />
        </button>
        <span className={styles.kind}>{KIND_LABELS[kind]}</span>
        <input
          className={styles.cellTitle}
          data-testid='cell-title'
          aria-label='Cell title'
          placeholder={props.titlePlaceholder}
          value={title}
          maxLength={200}
          onChange={(e) => props.onTitleChange(e.target.value)}
        />
        <div className={styles.toolbar} role='toolbar' aria-label='Cell actions'>
          <button type='button' className={styles.iconButton} data-testid='cell-move-up' aria-label='Move cell up' title='Move up' disabled={props.isFirst} onClick={() => props.onMove(-1)}>
            <Icon path={ICONS.up} />
          </button>
          <button type='button' className={styles.iconButton} data-testid='cell-move-down' aria-label='Move cell down' title='Move down' disabled={props.isLast} onClick={() => props.onMove(1)}>
            <Icon path={ICONS.down} />
          </button>
          <button type='button' className={styles.iconButton} data-testid='cell-duplicate' aria-label='Duplicate cell' title='Duplicate' onClick={props.onDuplicate}>
            <Icon path={ICONS.duplicate} />
          </button>
          <button type='button' className={styles.iconButton} data-testid='cell-delete' aria-label='Delete cell' title='Delete' onClick={props.onDelete}>
            <Icon path={ICONS.delete} />
          </button>
        </div>
      </header>
      {collapsed ? (
        <p className={styles.collapsedSummary} data-testid='cell-summary'>
          {props.summary}
        </p>
      ) : (
        <div className={styles.cellBody}>{props.children}</div>
      )}
    </article>
  );
}
