/**
 * Cell view: the DOM of the player's cells, one element per canvas position, updated in
 * place. React renders the container once and this class owns its children, so a playing
 * trajectory costs a few attribute writes per frame instead of a render of every cell.
 * Each cell remembers what it shows and writes only what changed.
 *
 * Layouts: `grid` puts every position in a fixed-width cell, in position order, with
 * whitespace drawn as visible marks. `code` lets the tokens flow like source text, with
 * newlines breaking lines and indentation kept, after the prompt (`setPromptText`) in a
 * muted colour.
 */
import { visibleWhitespace } from '../token-label';
import type { CellState, EventTable, FrameCursor } from './frames';

export const PLAYER_LAYOUTS = ['grid', 'code'] as const;
export type PlayerLayout = (typeof PLAYER_LAYOUTS)[number];

export interface CellViewOptions {
  layout: PlayerLayout;
  table: EventTable;
  blocks: readonly { start: number; end: number }[];
  /** EOS and pad ids. */
  endIds: ReadonlySet<number>;
  tokenText: (id: number) => string;
  classNames: { cell: string; prompt: string; newline: string };
}

const STATE_LABELS: Record<CellState, string> = {
  masked: 'masked',
  new: 'revealed this step',
  settled: 'settled',
  edited: 'edited',
  remasked: 'remasked',
  end: 'end of sequence',
};

export class CellView {
  private readonly container: HTMLElement;
  private readonly options: CellViewOptions;
  private readonly cells: HTMLElement[] = [];
  // What each cell shows: -1 or '' until it is first drawn.
  private readonly shownState: (CellState | '')[];
  private readonly shownToken: Int32Array;
  private readonly shownConfidence: Int16Array;
  private readonly shownFresh: Uint8Array;
  private readonly shownLabel: string[];
  private tokenText: (id: number) => string;
  private activeBlock = -1;
  private selection: ReadonlySet<number> = new Set();
  private focusable = 0;
  private prompt: HTMLElement | null = null;

  constructor(container: HTMLElement, options: CellViewOptions) {
    this.container = container;
    this.options = options;
    this.tokenText = options.tokenText;
    const n = options.table.genLength;
    this.shownState = new Array<CellState | ''>(n).fill('');
    this.shownToken = new Int32Array(n).fill(-1);
    this.shownConfidence = new Int16Array(n).fill(-1);
    this.shownFresh = new Uint8Array(n);
    this.shownLabel = new Array<string>(n).fill('');
    this.build();
  }

  private build(): void {
    const { layout, blocks, classNames, table } = this.options;
    const fragment = document.createDocumentFragment();
    if (layout === 'code') {
      this.prompt = document.createElement('span');
      this.prompt.className = classNames.prompt;
      this.prompt.dataset.testid = 'player-prompt';
      // The listbox may contain only options, and the notebook shows the prompt elsewhere.
      this.prompt.setAttribute('aria-hidden', 'true');
      fragment.append(this.prompt);
    }

    const blockStarts = new Set(blocks.map((b) => b.start));
    for (let p = 0; p < table.genLength; p++) {
      const cell = document.createElement('span');
      cell.className = classNames.cell;
      cell.dataset.testid = 'player-cell';
      cell.dataset.position = String(p);
      cell.setAttribute('role', 'option');
      cell.setAttribute('aria-selected', 'false');
      cell.tabIndex = p === this.focusable ? 0 : -1;
      if (p > 0 && blockStarts.has(p)) cell.dataset.blockStart = '';
      this.cells.push(cell);
      fragment.append(cell);
    }
    this.container.replaceChildren(fragment);
  }

  /** Appends text to an element, with a muted return mark before each newline in the code layout. */
  private appendText(element: HTMLElement, text: string): void {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (i > 0) {
        const mark = document.createElement('span');
        mark.className = this.options.classNames.newline;
        mark.textContent = '↵';
        mark.setAttribute('aria-hidden', 'true');
        element.append(mark, '\n');
      }
      if (line !== '') element.append(line);
    });
  }

  private labelOf(token: number, state: CellState): string {
    // Undecoded positions of a finished run are `end` but still hold the mask id.
    if (state === 'masked' || state === 'remasked' || token === this.options.table.maskId) return '';
    const text = this.tokenText(token);
    if (this.options.layout === 'grid') return visibleWhitespace(text);
    return this.options.endIds.has(token) ? '' : text;
  }

  /** Draws the cursor's step. `dirty` lists the positions that may have changed, or null for all. */
  update(cursor: FrameCursor, dirty: readonly number[] | null, activeBlock: number): void {
    if (dirty === null) {
      for (let p = 0; p < this.cells.length; p++) this.drawCell(cursor, p);
    } else {
      for (const p of dirty) this.drawCell(cursor, p);
    }
    this.setActiveBlock(activeBlock);
  }

  private drawCell(cursor: FrameCursor, p: number): void {
    const cell = this.cells[p];
    const state = cursor.cellState(p, this.options.endIds);
    const token = cursor.token(p);
    const confidence = Math.round(cursor.confidence(p) * 100);
    const fresh = cursor.changedNow(p) ? 1 : 0;

    if (state !== this.shownState[p] || token !== this.shownToken[p]) {
      const label = this.labelOf(token, state);
      if (label !== this.shownLabel[p]) this.setLabel(p, label);
      if (state !== this.shownState[p]) cell.dataset.state = state;
      cell.setAttribute('aria-label', this.accessibleName(p, token, state));
      this.shownState[p] = state;
      this.shownToken[p] = token;
    }
    if (confidence !== this.shownConfidence[p]) {
      cell.style.setProperty('--confidence', String(confidence / 100));
      this.shownConfidence[p] = confidence;
    }
    if (fresh !== this.shownFresh[p]) {
      cell.toggleAttribute('data-fresh', fresh === 1);
      this.shownFresh[p] = fresh;
    }
  }

  private setLabel(p: number, label: string): void {
    const cell = this.cells[p];
    if (this.options.layout === 'code' && label.includes('\n')) {
      cell.replaceChildren();
      this.appendText(cell, label);
    } else {
      cell.textContent = label;
    }
    this.shownLabel[p] = label;
  }

  private accessibleName(p: number, token: number, state: CellState): string {
    if (state === 'masked' || state === 'remasked') return `position ${p}, ${STATE_LABELS[state]}`;
    if (token === this.options.table.maskId) return `position ${p}, not decoded`;
    return `position ${p}, ${JSON.stringify(this.tokenText(token))}, ${STATE_LABELS[state]}`;
  }

  private setActiveBlock(block: number): void {
    if (block === this.activeBlock) return;
    const { blocks } = this.options;
    const mark = (index: number, on: boolean) => {
      const range = blocks[index];
      if (range === undefined) return;
      for (let p = range.start; p < Math.min(range.end, this.cells.length); p++) this.cells[p].toggleAttribute('data-active-block', on);
    };
    mark(this.activeBlock, false);
    mark(block, true);
    this.activeBlock = block;
  }

  /** Swaps the token labeller (e.g. once a tokenizer has loaded) and relabels the cells that differ. */
  setTokenText(tokenText: (id: number) => string): void {
    if (tokenText === this.tokenText) return;
    this.tokenText = tokenText;
    for (let p = 0; p < this.cells.length; p++) {
      const state = this.shownState[p];
      if (state === '') continue;
      const token = this.shownToken[p];
      const label = this.labelOf(token, state);
      if (label !== this.shownLabel[p]) this.setLabel(p, label);
      this.cells[p].setAttribute('aria-label', this.accessibleName(p, token, state));
    }
  }

  /** Replaces the prompt text shown before the canvas in the code layout. */
  setPromptText(text: string): void {
    if (this.prompt === null) return;
    this.prompt.replaceChildren();
    this.appendText(this.prompt, text);
  }

  setSelection(selection: ReadonlySet<number>): void {
    for (const p of this.selection) if (!selection.has(p)) this.markSelected(p, false);
    for (const p of selection) if (!this.selection.has(p)) this.markSelected(p, true);
    this.selection = new Set(selection);
  }

  private markSelected(p: number, on: boolean): void {
    const cell = this.cells[p];
    if (cell === undefined) return;
    cell.toggleAttribute('data-selected', on);
    cell.setAttribute('aria-selected', String(on));
  }

  /** Makes `position` the cell that Tab reaches (roving tab index) and, with `focus`, focuses it. */
  setFocusable(position: number, focus = false): void {
    const p = Math.min(Math.max(position, 0), this.cells.length - 1);
    if (p < 0) return;
    this.cells[this.focusable]?.setAttribute('tabindex', '-1');
    this.cells[p].setAttribute('tabindex', '0');
    this.focusable = p;
    if (focus) this.cells[p].focus();
  }

  cell(position: number): HTMLElement | undefined {
    return this.cells[position];
  }

  destroy(): void {
    this.container.replaceChildren();
  }
}

/** Returns the canvas position of the cell that contains `target`, or null. */
export function positionOf(target: EventTarget | null): number | null {
  if (!(target instanceof Element)) return null;
  const cell = target.closest<HTMLElement>('[data-position]');
  return cell ? Number(cell.dataset.position) : null;
}
