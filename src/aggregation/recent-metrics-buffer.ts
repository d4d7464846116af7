import type { PerformanceMetric } from '../types/metric-type';
import { jsonSafeCopy } from './json-safe';
import { METRIC_TYPES } from './metric-type-index';

/** The columns an exported metric is read from (the buffer's own, or a copy of them). */
interface Columns {
  types: Uint8Array;
  values: Float64Array;
  timestamps: Float64Array;
  executionIds: (string | undefined)[];
  agentNames: (string | undefined)[];
  metadata: (Record<string, unknown> | undefined)[] | undefined;
}

/** First allocation of the columns; they double up to the capacity as traffic needs. */
const INITIAL_COLUMNS = 1024;

/**
 * The raw observations behind exportMetrics(): the most recent `capacity` of them in arrival
 * order, stored in columns (typed arrays for the numbers) so 10 000 entries cost ~0.4 MB rather
 * than 10 000 objects. Older entries are overwritten; the newest timestamp ever overwritten is
 * remembered, which tells exactly whether an export over a window is missing anything.
 *
 * executionId, agentName and metadata are kept by reference (the strings are shared with the
 * caller; metadata is deep-copied to JSON-safe form only when exported).
 */
export class RecentMetricsBuffer {
  private types = new Uint8Array(0);
  private values = new Float64Array(0);
  private timestamps = new Float64Array(0);
  private executionIds: (string | undefined)[] = [];
  private agentNames: (string | undefined)[] = [];
  private metadata: (Record<string, unknown> | undefined)[] | undefined;
  /** Position of the next write. */
  private head = 0;
  private size = 0;
  /** Newest timestamp among overwritten entries (-Infinity when none was). */
  private evictedNewest = -Infinity;

  constructor(readonly capacity: number) {}

  push(
    typeIndex: number,
    value: number,
    timestamp: number,
    executionId: string | undefined,
    agentName: string | undefined,
    metadata: Record<string, unknown> | undefined,
  ): void {
    if (this.capacity === 0) {
      if (timestamp > this.evictedNewest) this.evictedNewest = timestamp;
      return;
    }
    let columns = this.types.length;
    if (this.size === columns && columns < this.capacity) {
      this.grow();
      columns = this.types.length;
    }
    // Not yet full: entries sit at 0..size−1 and head = size. Full: head is the oldest entry.
    const i = this.head;
    if (this.size === columns) {
      const old = this.timestamps[i];
      if (old > this.evictedNewest) this.evictedNewest = old;
    } else {
      this.size++;
    }
    this.types[i] = typeIndex;
    this.values[i] = value;
    this.timestamps[i] = timestamp;
    this.executionIds[i] = executionId;
    this.agentNames[i] = agentName;
    if (metadata !== undefined) (this.metadata ??= new Array<Record<string, unknown> | undefined>(columns))[i] = metadata;
    else if (this.metadata) this.metadata[i] = undefined;
    this.head = i + 1 === columns ? 0 : i + 1;
  }

  /** True when an entry with a timestamp ≥ fromMs was overwritten (an export from fromMs misses it). */
  isTruncatedSince(fromMs: number): boolean {
    return this.evictedNewest >= fromMs;
  }

  /**
   * Plain copies of the entries with timestamp ≥ fromMs, oldest first (ties in arrival order),
   * ready for JSON.stringify.
   */
  exportSince(fromMs: number): PerformanceMetric[] {
    const columns = this.columns();
    return this.positionsSince(fromMs).map((i) => metricAt(columns, i));
  }

  /**
   * exportSince() in steps, the same list: the entries are picked and their columns copied in the
   * first step (a push between two steps cannot change what is exported), then turned into objects
   * `perStep` at a time, with a yield between. For callers that must not block the event loop.
   */
  *exportSinceSteps(fromMs: number, perStep: number): Generator<void, PerformanceMetric[], void> {
    const positions = this.positionsSince(fromMs);
    const c = this.columns();
    const copy: Columns = {
      types: c.types.slice(),
      values: c.values.slice(),
      timestamps: c.timestamps.slice(),
      executionIds: c.executionIds.slice(),
      agentNames: c.agentNames.slice(),
      metadata: c.metadata?.slice(),
    };
    const out: PerformanceMetric[] = [];
    for (let k = 0; k < positions.length; k++) {
      if (k % perStep === 0) yield;
      out.push(metricAt(copy, positions[k]));
    }
    return out;
  }

  /** Positions of the entries with timestamp ≥ fromMs, in export order. */
  private positionsSince(fromMs: number): number[] {
    const picked: number[] = [];
    const start = this.size < this.columnsInUse() ? 0 : this.head;
    for (let k = 0; k < this.size; k++) {
      const i = (start + k) % this.columnsInUse();
      if (this.timestamps[i] >= fromMs) picked.push(i);
    }
    // Arrival order is almost timestamp order; a stable sort puts late arrivals where they belong.
    picked.sort((a, b) => this.timestamps[a] - this.timestamps[b] || order(a, b, start, this.columnsInUse()));
    return picked;
  }

  private columns(): Columns {
    return { types: this.types, values: this.values, timestamps: this.timestamps, executionIds: this.executionIds, agentNames: this.agentNames, metadata: this.metadata };
  }

  /** Forgets entries older than fromMs (retention) without counting them as truncation. */
  dropOlderThan(fromMs: number): void {
    if (this.size === 0) return;
    const n = this.columnsInUse();
    const start = this.size < n ? 0 : this.head;
    // Only a prefix in arrival order can be dropped cheaply; late arrivals in the middle are
    // simply skipped by exportSince's timestamp filter until they are overwritten.
    let dropped = 0;
    while (dropped < this.size && this.timestamps[(start + dropped) % n] < fromMs) dropped++;
    if (dropped === 0) return;
    if (dropped === this.size) {
      this.clear();
      return;
    }
    // Compact: move the survivors to the front so head/size arithmetic stays simple.
    const keep: number[] = [];
    for (let k = dropped; k < this.size; k++) keep.push((start + k) % n);
    this.reorder(keep);
  }

  clear(): void {
    this.types = new Uint8Array(0);
    this.values = new Float64Array(0);
    this.timestamps = new Float64Array(0);
    this.executionIds = [];
    this.agentNames = [];
    this.metadata = undefined;
    this.head = 0;
    this.size = 0;
    this.evictedNewest = -Infinity;
  }

  get length(): number {
    return this.size;
  }

  private columnsInUse(): number {
    return this.types.length;
  }

  private grow(): void {
    const n = Math.min(this.capacity, Math.max(INITIAL_COLUMNS, this.types.length * 2));
    const keep: number[] = [];
    for (let k = 0; k < this.size; k++) keep.push(k);
    this.reorder(keep, n);
  }

  /** Rebuilds the columns holding the entries at `positions` (in that order) from index 0. */
  private reorder(positions: readonly number[], columns = this.types.length): void {
    const types = new Uint8Array(columns);
    const values = new Float64Array(columns);
    const timestamps = new Float64Array(columns);
    const executionIds = new Array<string | undefined>(columns);
    const agentNames = new Array<string | undefined>(columns);
    const metadata = this.metadata ? new Array<Record<string, unknown> | undefined>(columns) : undefined;
    positions.forEach((from, to) => {
      types[to] = this.types[from];
      values[to] = this.values[from];
      timestamps[to] = this.timestamps[from];
      executionIds[to] = this.executionIds[from];
      agentNames[to] = this.agentNames[from];
      if (metadata) metadata[to] = this.metadata?.[from];
    });
    this.types = types;
    this.values = values;
    this.timestamps = timestamps;
    this.executionIds = executionIds;
    this.agentNames = agentNames;
    this.metadata = metadata;
    this.size = positions.length;
    this.head = positions.length % columns;
  }
}

/** A plain, JSON-safe copy of the entry at column position i. */
function metricAt(c: Columns, i: number): PerformanceMetric {
  const m: PerformanceMetric = {
    metricType: METRIC_TYPES[c.types[i]],
    value: c.values[i],
    timestamp: c.timestamps[i],
  };
  const executionId = c.executionIds[i];
  if (executionId !== undefined) m.executionId = executionId;
  const agentName = c.agentNames[i];
  if (agentName !== undefined) m.agentName = agentName;
  const metadata = c.metadata?.[i];
  if (metadata !== undefined) m.metadata = jsonSafeCopy(metadata) as Record<string, unknown>;
  return m;
}

/** Arrival order of two column positions in a ring that starts at `start`. */
function order(a: number, b: number, start: number, n: number): number {
  return ((a - start + n) % n) - ((b - start + n) % n);
}
