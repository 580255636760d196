/**
 * Tooltip for the hovered or focused cell: its token at the step shown, position and
 * block, the step at which it settled, and every event at that position with its
 * confidence. Events after the step shown are dimmed.
 */
import { useLayoutEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { EVENT_KINDS, KIND_EDIT, KIND_REMASK, type EventTable } from './frames';
import type { PlaybackStore } from './playback';
import styles from './Player.module.css';

export interface PlayerTooltipProps {
  id: string;
  table: EventTable;
  position: number;
  playback: PlaybackStore;
  blocks: readonly { start: number; end: number }[];
  /** Per position, the step after which it kept its final token (lib/metrics settleSteps). */
  settleSteps: readonly number[];
  live: boolean;
  tokenText: (id: number) => string;
  /** Cell the tooltip points at, and the element it is positioned in. */
  anchor: () => HTMLElement | undefined;
  frame: () => HTMLElement | null;
}

const GAP_PX = 6;

function quoted(text: string): string {
  return JSON.stringify(text);
}

export function PlayerTooltip(props: PlayerTooltipProps) {
  const { id, table, position, playback, blocks, settleSteps, live, tokenText, anchor, frame } = props;
  const step = Math.min(useStore(playback, (s) => s.step), table.stepCount);
  const ref = useRef<HTMLDivElement>(null);

  // Placed after every render, because cells of the code layout move as tokens change.
  useLayoutEffect(() => {
    const tooltip = ref.current;
    const cell = anchor();
    const container = frame();
    if (tooltip === null || cell === undefined || container === null) return;
    const box = container.getBoundingClientRect();
    const target = cell.getBoundingClientRect();
    const left = Math.max(8, Math.min(target.left - box.left, box.width - tooltip.offsetWidth - 8));
    const below = target.bottom - box.top + GAP_PX;
    const above = target.top - box.top - GAP_PX - tooltip.offsetHeight;
    const fitsBelow = target.bottom + GAP_PX + tooltip.offsetHeight <= window.innerHeight || above < 0;
    tooltip.style.left = `${left}px`;
    tooltip.style.top = `${fitsBelow ? below : above}px`;
  });

  const events = table.eventsAt(position);
  const current = events.findLast((e) => table.step[e] <= step);
  const token = current === undefined ? table.initialTokens[position] : table.to[current];
  const masked = token === table.maskId;
  const undecoded = masked && step === table.stepCount && position >= table.decodedLength;
  const block = blocks.findIndex((b) => position >= b.start && position < b.end);
  const settled = settleSteps[position] ?? 0;

  let status: string;
  if (current !== undefined && table.kind[current] === KIND_REMASK) status = `remasked at step ${table.step[current]}`;
  else if (current !== undefined && table.kind[current] === KIND_EDIT) status = `edited at step ${table.step[current]}, was ${quoted(tokenText(table.from[current]))}`;
  else if (current !== undefined) status = `revealed at step ${table.step[current]}`;
  else if (undecoded) status = 'not decoded: the run stopped after the block with the first end of sequence';
  else status = masked ? 'masked' : 'given in the starting canvas';

  return (
    <div ref={ref} id={id} className={styles.tooltip} role='tooltip' data-testid='player-tooltip'>
      <div>
        {masked ? <span className={styles.tooltipMeta}>{undecoded ? '[not decoded]' : '[masked]'}</span> : <span className={styles.tooltipToken}>{quoted(tokenText(token))}</span>}{' '}
        <span className={styles.tooltipMeta}>
          position {position}
          {block >= 0 ? ` · block ${block}` : ''}
        </span>
      </div>
      <div data-testid='player-tooltip-status'>{status}</div>
      <div data-testid='player-tooltip-settled'>
        {settled === 0 ? 'no step changed it' : `settled at step ${settled}${live ? ' so far' : ''}`}
      </div>
      {events.length > 0 && (
        <ol className={styles.history} aria-label='Events at this position' data-testid='player-tooltip-history'>
          {events.map((e) => {
            const kind = EVENT_KINDS[table.kind[e]];
            const confidence = table.confidence[e];
            return (
              <li key={e} data-future={table.step[e] > step || undefined}>
                <span>s{table.step[e]}</span>
                <span>{kind}</span>
                <span className={styles.historyToken}>{kind === 'remask' ? '' : quoted(tokenText(table.to[e]))}</span>
                <span className={styles.bar} aria-hidden='true'>
                  <span style={{ width: `${Math.round(confidence * 100)}%` }} />
                </span>
                <span>{confidence.toFixed(2)}</span>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
