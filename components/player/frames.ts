/**
 * Frames of a trajectory for playback: the canvas and each cell's state at any step,
 * without replaying every event from step 0.
 *
 * `EventTable` flattens the events into typed arrays and links each event to the previous
 * event at the same position. A cell at step k is fully described by the last event at
 * its position up to step k, so a `FrameCursor` keeps one event index per position and
 * moves by applying events forwards (index := event) or backwards (index := previous
 * event). Every `keyframeInterval` steps the table stores a copy of those indices, so a
 * long jump costs one copy plus at most `keyframeInterval` steps of events.
 *
 * The table grows with a live run: `sync` appends the new steps of a trajectory whose
 * earlier steps it has already indexed.
 */
import type { Step, Trajectory } from '@/lib/trajectory';

export type FrameSource = Pick<Trajectory, 'genLength' | 'maskId' | 'steps'> & {
  initialCanvas?: readonly number[];
  /** Present once the run has finished: positions from decodedLength on were never decoded. */
  final?: Pick<Trajectory['final'], 'decodedLength'>;
};

export const EVENT_KINDS = ['unmask', 'edit', 'remask'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const KIND_UNMASK = 0;
export const KIND_EDIT = 1;
export const KIND_REMASK = 2;
/** Kind code of a position that no event has touched yet. */
export const KIND_NONE = -1;

/**
 * Cell states drawn by the player: `new` is a token unmasked by the step shown, `edited`
 * a token whose last change was an edit, `remasked` a masked position that held a token
 * before, `end` an end-of-sequence or padding token. At the last step of a finished run,
 * positions the sampler never decoded (it stops after the block with the first EOS) are
 * `end` too, as they hold EOS in the trajectory's final canvas.
 */
export type CellState = 'masked' | 'new' | 'settled' | 'edited' | 'remasked' | 'end';

const DEFAULT_KEYFRAME_INTERVAL = 32;

function grow<T extends Int32Array | Uint8Array | Float32Array>(array: T, minLength: number): T {
  if (array.length >= minLength) return array;
  const next = new (array.constructor as new (length: number) => T)(Math.max(minLength, array.length * 2, 64));
  next.set(array);
  return next;
}

export class EventTable {
  readonly genLength: number;
  readonly maskId: number;
  readonly keyframeInterval: number;
  /** Token per position before step 1. */
  readonly initialTokens: Int32Array;
  readonly startsMasked: boolean;
  /** First position the run never decoded, or genLength while the run is unfinished. */
  decodedLength: number;

  eventCount = 0;
  stepCount = 0;
  position = new Int32Array(0);
  kind = new Uint8Array(0);
  from = new Int32Array(0);
  to = new Int32Array(0);
  confidence = new Float32Array(0);
  /** 1-based step of each event. */
  step = new Int32Array(0);
  /** Previous event at the same position, or -1. */
  previous = new Int32Array(0);
  /** Index of the first event of step k + 1 at [k], and eventCount at [stepCount]. */
  stepStart = new Int32Array(1);
  /** Block of each step (index k - 1 for step k). */
  stepBlock = new Int32Array(0);
  /** keyframes[j]: last event per position after step j * keyframeInterval. */
  readonly keyframes: Int32Array[];

  /** Last event per position after all indexed steps. */
  private readonly latest: Int32Array;
  private indexedSteps: readonly Step[] = [];

  constructor(source: FrameSource, keyframeInterval = DEFAULT_KEYFRAME_INTERVAL) {
    if (!Number.isInteger(keyframeInterval) || keyframeInterval < 1) {
      throw new Error(`[frames] invalid keyframeInterval ${keyframeInterval}: expected a whole number of steps ≥ 1`);
    }
    const initial = source.initialCanvas;
    if (initial !== undefined && initial.length !== source.genLength) {
      throw new Error(`[frames] initialCanvas has ${initial.length} tokens but genLength is ${source.genLength}`);
    }
    this.genLength = source.genLength;
    this.maskId = source.maskId;
    this.keyframeInterval = keyframeInterval;
    this.initialTokens = initial ? Int32Array.from(initial) : new Int32Array(source.genLength).fill(source.maskId);
    this.startsMasked = initial === undefined;
    this.decodedLength = source.genLength;
    this.latest = new Int32Array(source.genLength).fill(-1);
    this.keyframes = [this.latest.slice()];
    this.sync(source);
  }

  /**
   * Indexes the steps of `source` added since the last call. Returns false, and indexes
   * nothing, when `source` is not a continuation of the steps indexed so far (another
   * run, or a step replaced), and the caller then builds a new table.
   */
  sync(source: FrameSource): boolean {
    if (!this.continues(source)) return false;
    for (let k = this.stepCount; k < source.steps.length; k++) this.appendStep(source.steps[k]);
    this.indexedSteps = source.steps;
    this.decodedLength = Math.min(source.final?.decodedLength ?? this.genLength, this.genLength);
    return true;
  }

  private continues(source: FrameSource): boolean {
    if (source.genLength !== this.genLength || source.maskId !== this.maskId) return false;
    const count = this.stepCount;
    if (source.steps.length < count) return false;
    if (count === 0 || source.steps === this.indexedSteps) return true;
    // Step objects of a growing run are reused, so comparing the first and last indexed ones is enough.
    return source.steps[0] === this.indexedSteps[0] && source.steps[count - 1] === this.indexedSteps[count - 1];
  }

  private appendStep(step: Step): void {
    const stepNumber = this.stepCount + 1;
    const needed = this.eventCount + step.events.length;
    this.position = grow(this.position, needed);
    this.kind = grow(this.kind, needed);
    this.from = grow(this.from, needed);
    this.to = grow(this.to, needed);
    this.confidence = grow(this.confidence, needed);
    this.step = grow(this.step, needed);
    this.previous = grow(this.previous, needed);

    for (const event of step.events) {
      const p = event.position;
      if (p < 0 || p >= this.genLength) {
        throw new Error(`[frames] step ${stepNumber} has an event at position ${p}, outside the canvas of ${this.genLength}`);
      }
      const e = this.eventCount++;
      this.position[e] = p;
      this.kind[e] = EVENT_KINDS.indexOf(event.kind);
      this.from[e] = event.from;
      this.to[e] = event.to;
      this.confidence[e] = event.confidence;
      this.step[e] = stepNumber;
      this.previous[e] = this.latest[p];
      this.latest[p] = e;
    }

    this.stepCount = stepNumber;
    this.stepStart = grow(this.stepStart, stepNumber + 1);
    this.stepStart[stepNumber] = this.eventCount;
    this.stepBlock = grow(this.stepBlock, stepNumber);
    this.stepBlock[stepNumber - 1] = step.block;
    if (stepNumber % this.keyframeInterval === 0) this.keyframes.push(this.latest.slice());
  }

  /** Returns the last event at `position` over every indexed step, or -1. */
  latestEvent(position: number): number {
    return this.latest[position];
  }

  /** Returns the events at `position` in step order, over every indexed step. */
  eventsAt(position: number): number[] {
    const events: number[] = [];
    for (let e = this.latest[position]; e >= 0; e = this.previous[e]) events.push(e);
    return events.reverse();
  }

  /** Returns the block decoded at step k (the block of step 1 at step 0), or -1 without steps. */
  blockAt(step: number): number {
    if (this.stepCount === 0) return -1;
    return this.stepBlock[Math.min(Math.max(step, 1), this.stepCount) - 1];
  }

  /** Returns the steps k (1 ≤ k < stepCount) after which the decoding moves to another block. */
  blockEnds(): number[] {
    const ends: number[] = [];
    for (let k = 1; k < this.stepCount; k++) if (this.stepBlock[k] !== this.stepBlock[k - 1]) ends.push(k);
    return ends;
  }
}

// Above this many events, a move counts as changing every cell.
const DIRTY_LIMIT_FRACTION = 0.5;

export class FrameCursor {
  readonly table: EventTable;
  /** Last event per position at `step`, or -1 where none has happened yet. */
  readonly lastEvent: Int32Array;
  step = 0;

  constructor(table: EventTable) {
    this.table = table;
    this.lastEvent = table.keyframes[0].slice();
  }

  /**
   * Moves to `step` (clamped to the indexed steps) and returns the positions whose cell
   * may look different, or null when every cell may.
   */
  seek(target: number): number[] | null {
    const table = this.table;
    const to = Math.min(Math.max(Math.round(target), 0), table.stepCount);
    const from = this.step;
    if (to === from) return [];

    const start = table.stepStart;
    const incremental = to > from ? start[to] - start[from] : start[from] - start[to];
    const keyframe = Math.floor(to / table.keyframeInterval);
    const viaKeyframe = table.genLength + start[to] - start[keyframe * table.keyframeInterval];

    if (viaKeyframe < incremental) {
      this.lastEvent.set(table.keyframes[keyframe]);
      this.applyForward(keyframe * table.keyframeInterval, to);
      this.step = to;
      return null;
    }

    if (to > from) this.applyForward(from, to);
    else this.applyBackward(from, to);
    this.step = to;
    return this.changedPositions(Math.min(from, to), Math.max(from, to));
  }

  private applyForward(from: number, to: number): void {
    const { stepStart, position } = this.table;
    for (let e = stepStart[from]; e < stepStart[to]; e++) this.lastEvent[position[e]] = e;
  }

  private applyBackward(from: number, to: number): void {
    const { stepStart, position, previous } = this.table;
    for (let e = stepStart[from] - 1; e >= stepStart[to]; e--) this.lastEvent[position[e]] = previous[e];
  }

  /**
   * Positions with an event in steps low … high (both included, step 0 has none): their
   * token changed, or they stop or start being the latest step's change.
   */
  private changedPositions(low: number, high: number): number[] | null {
    const { stepStart, position, genLength, decodedLength, stepCount } = this.table;
    const first = stepStart[Math.max(low - 1, 0)];
    const last = stepStart[high];
    // Undecoded positions turn from masked to end at the last step.
    const undecoded = high === stepCount ? genLength - decodedLength : 0;
    if (last - first + undecoded > genLength * DIRTY_LIMIT_FRACTION) return null;
    const positions: number[] = [];
    for (let e = first; e < last; e++) positions.push(position[e]);
    for (let p = decodedLength; p < decodedLength + undecoded; p++) positions.push(p);
    return positions;
  }

  token(position: number): number {
    const e = this.lastEvent[position];
    return e < 0 ? this.table.initialTokens[position] : this.table.to[e];
  }

  /** Kind code (KIND_UNMASK, KIND_EDIT, KIND_REMASK) of the last event, or KIND_NONE. */
  kind(position: number): number {
    const e = this.lastEvent[position];
    return e < 0 ? KIND_NONE : this.table.kind[e];
  }

  /** Model probability of the shown token: 1 for a token of the initial canvas, 0 while masked. */
  confidence(position: number): number {
    const e = this.lastEvent[position];
    if (e < 0) return this.table.startsMasked || this.table.initialTokens[position] === this.table.maskId ? 0 : 1;
    return this.table.kind[e] === KIND_REMASK ? 0 : this.table.confidence[e];
  }

  /** True when the step shown changed this position. */
  changedNow(position: number): boolean {
    const e = this.lastEvent[position];
    return e >= 0 && this.step > 0 && this.table.step[e] === this.step;
  }

  /** True for a position of a finished run that the sampler never decoded, shown at the last step. */
  undecoded(position: number): boolean {
    const table = this.table;
    return this.step === table.stepCount && position >= table.decodedLength && this.token(position) === table.maskId;
  }

  cellState(position: number, endIds: ReadonlySet<number>): CellState {
    const token = this.token(position);
    const kind = this.kind(position);
    if (token === this.table.maskId) {
      if (this.undecoded(position)) return 'end';
      return kind === KIND_REMASK ? 'remasked' : 'masked';
    }
    if (kind === KIND_UNMASK && this.changedNow(position)) return 'new';
    if (kind === KIND_EDIT) return 'edited';
    return endIds.has(token) ? 'end' : 'settled';
  }
}
