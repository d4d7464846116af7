/** Which metric objects the identity check remembers. */
export type MetricIdentityTracking = 'withExecutionId' | 'all' | 'none';

/** Bit of the ledger word: the execution's breakdown was recorded. */
const BREAKDOWN_RECORDED = 1 << 11;
/** Shift of the 11-bit mask of MetricTypes the breakdown recorded. */
const COVERED_SHIFT = 12;
/** Mask of the 11 MetricType bits. */
const TYPES_MASK = (1 << 11) - 1;

/**
 * What makes every observation count once when the same execution reaches an aggregator twice —
 * through the SDK's automatic feed and through the guide's manual loop, or through a loop run twice.
 *
 * 1. Identity: a WeakSet of metric objects already taken, so the same PerformanceMetric object
 *    added again is ignored. It holds no references (collected metrics can still be freed).
 *    WeakSet insertion costs V8 ~1 µs (an identity hash and a weak table entry), several times
 *    the rest of addMetric, so by default only metrics with an executionId are tracked: those are
 *    the ones a collector hands to both flows.
 * 2. Per execution (keyed by executionId): which MetricTypes the execution reported explicitly
 *    via addMetric, whether its breakdown was recorded, and which types the breakdown recorded —
 *    one 23-bit word per execution. The ledger is a two-generation LRU: entries live in a
 *    current Map until it holds maxExecutions / 2, then that Map becomes the previous
 *    generation and the older one is dropped whole; reading an entry of the previous generation
 *    moves it back to the current one. An execution used (read or written) within the last
 *    maxExecutions / 2 new executions is always remembered, at most maxExecutions are, and
 *    eviction is O(1) (evicting single entries from the front of a JS Map is not: V8 scans the
 *    deleted slots each time).
 *
 * The rule, per (execution, MetricType): the first source wins. Explicit metrics of a type stop
 * the breakdown from recording that type (they are per-operation observations of the same time);
 * once the breakdown recorded a type, later explicit metrics of that type are ignored; a second
 * breakdown of the same execution is ignored.
 */
export class DedupeLedger {
  private seen = new WeakSet<object>();
  private current = new Map<string, number>();
  private previous = new Map<string, number>();
  private readonly generationSize: number;

  constructor(
    maxExecutions: number,
    private readonly identity: MetricIdentityTracking,
  ) {
    this.generationSize = Math.max(1, Math.ceil(maxExecutions / 2));
    if (maxExecutions === 0) this.generationSize = 0;
  }

  /** True when this exact object was taken before; otherwise remembers it (per the tracking mode). */
  isDuplicateObject(metric: object, hasExecutionId: boolean): boolean {
    if (this.identity === 'none' || (this.identity === 'withExecutionId' && !hasExecutionId)) return false;
    if (this.seen.has(metric)) return true;
    this.seen.add(metric);
    return false;
  }

  /**
   * Notes that `executionId` reported `typeIndex` explicitly. Returns false when that execution's
   * breakdown already recorded the type (the metric must then be ignored).
   */
  noteExplicit(executionId: string, typeIndex: number): boolean {
    const word = this.get(executionId);
    if (word & (1 << (COVERED_SHIFT + typeIndex))) return false;
    const bit = 1 << typeIndex;
    if ((word & bit) === 0) this.put(executionId, word | bit);
    return true;
  }

  /**
   * Starts recording a breakdown: undefined when this execution's breakdown was already recorded,
   * else the mask (bit i = MetricType index i) of types the execution reported explicitly.
   */
  explicitTypes(executionId: string): number | undefined {
    const word = this.get(executionId);
    return word & BREAKDOWN_RECORDED ? undefined : word & TYPES_MASK;
  }

  /**
   * Notes that the execution's breakdown was recorded, covering the types in `coveredMask`;
   * `explicitMask` is what explicitTypes() returned just before (nothing wrote to the ledger since),
   * which spares a second lookup.
   */
  noteBreakdown(executionId: string, coveredMask: number, explicitMask: number): void {
    this.put(executionId, explicitMask | BREAKDOWN_RECORDED | (coveredMask << COVERED_SHIFT));
  }

  /** Forgets every object and execution. */
  clear(): void {
    this.seen = new WeakSet<object>();
    this.current = new Map();
    this.previous = new Map();
  }

  /** Ledger entries currently held (an execution can appear in both generations). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /** The execution's word (0 when unknown); finding it in the previous generation refreshes it. */
  private get(executionId: string): number {
    const word = this.current.get(executionId);
    if (word !== undefined) return word;
    const old = this.previous.get(executionId);
    if (old === undefined) return 0;
    this.put(executionId, old);
    return old;
  }

  /** Writes to the current generation (which shadows the previous one), rolling over when full. */
  private put(executionId: string, word: number): void {
    if (this.generationSize === 0) return;
    // (The size test first: while the generation has room, no lookup is needed.)
    if (this.current.size >= this.generationSize && !this.current.has(executionId)) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(executionId, word);
  }
}
