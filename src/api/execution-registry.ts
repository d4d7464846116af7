import { componentLogger } from '../internal/diag';
import { limits } from '../internal/limits';
import { monotonicNow } from '../internal/clock';
import type { ExecutionState } from './execution-state';

const log = componentLogger('executions');

/** Something that can end an abandoned execution (the collector that owns it). */
export interface Evictable {
  readonly state: ExecutionState;
  /** Its custom metrics (counted to decide whether it is small enough to keep as the anchor). */
  readonly metrics: readonly unknown[];
  /** Ends the execution's spans and frees it; called once, by the registry. */
  evict(): void;
}

/**
 * A small ended execution is preferred as the hidden-class anchor: at most this many phases and
 * spans and this many custom metrics, so what stays referenced (its spans, metrics and their
 * metadata, its breakdown, its parent context) is typically tens of kilobytes and a few MB at worst
 * (every attribute and metadata value at its 1 024-character cap).
 */
const ANCHOR_MAX_INTERVALS = 64;
const ANCHOR_MAX_METRICS = 16;

/**
 * Most distinct abandon times kept apart at once (each is one in-flight list the sweep looks at).
 * Past it, a new time takes over a list that is empty, else joins the list of the nearest shorter
 * time (or, when every one is longer, of the shortest). Reported once through diag.
 */
const MAX_LANES = 16;

/**
 * The executions in flight that share one abandon time, oldest first: a list linked through their
 * states (see ExecutionState.prevInFlight), not a Set. Adding a new object to a Set and deleting it
 * again costs its identity hash and, as the Set's table grows and shrinks, a rehash: 0.14–1.7 µs
 * per execution measured (bench: node micro-benchmark of one add + one delete per new object, the
 * pattern of an execution), against ~40 ns for the two link updates. All its executions share
 * `afterMs`, so start order is deadline order and a sweep stops at the first one still in time.
 */
export class AbandonLane {
  /** @internal */ head: Evictable | undefined = undefined;
  /** @internal */ tail: Evictable | undefined = undefined;
  /** @internal */ count = 0;
  /** @param fixedMs the abandon time of a BreakdownSpanProcessor's option; 0 for the process
   *  default (limits.abandonAfterMs, read at each sweep: startAgentTelemetry sets it). */
  constructor(private readonly fixedMs: number) {}

  /** After this many ms an execution of this lane that never completed is evicted. */
  get afterMs(): number {
    return this.fixedMs || limits.abandonAfterMs;
  }

  /** @internal */
  get isDefault(): boolean {
    return this.fixedMs === 0;
  }
}

/**
 * The executions in flight in this process. It exists for one reason: an execution that is never
 * completed must not hold memory (or spans) forever. It is process-wide on purpose: executions are
 * started by any collector and reached from any span's context.
 *
 * Each execution is evicted after its own abandon time, fixed when it starts: the
 * BreakdownSpanProcessor's `abandonAfterMs` when a processor with that option saw the execution's
 * span start (the shortest, if several did), else the process default limits.abandonAfterMs
 * (startAgentTelemetry's option). Executions are kept in one list per abandon time (a lane, at most
 * MAX_LANES), so a sweep costs one look per lane plus one per execution it evicts, never one per
 * execution in flight. Sweeps run lazily when new executions start and on an unref()'d timer, with
 * one diag warning and a counter; and at most limits.maxExecutionsInFlight are held (the oldest is
 * evicted to admit a new one), so a burst of abandoned executions is bounded by count before the
 * time limit reaches them.
 */
class ExecutionRegistry {
  /** lanes[0] is the process default's; the others are made on demand, one per distinct time. */
  private lanes: AbandonLane[] = [new AbandonLane(0)];
  /** The fixed abandon time a processor offered for the execution whose span is starting (0: none);
   *  taken by the add() that follows in the same synchronous constructor. */
  private offeredMs = 0;
  private count = 0;
  private nextSweepAt = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The shortest abandon time the running timer was sized for. */
  private timerForMs = Infinity;
  private warned = false;
  private warnedLanes = false;
  /**
   * The last small execution that ended (completed or discarded), kept referenced on purpose. V8's
   * optimized code for the hot paths (phases, breakdown, aggregator feed) is specialized on the
   * hidden classes of our objects, and a hidden class is only weakly held once no object of it is
   * alive: a full GC while no execution is in flight (an idle service, when V8's memory reducer runs
   * one) freed them and deoptimized ~40 functions, which the next executions paid for until V8
   * re-optimized them. One small execution kept alive keeps every one of them. It is replaced when
   * the next small execution ends, and released by reset() and by startAgentTelemetry's shutdown().
   */
  private anchor: Evictable | undefined;
  private anchorIsSmall = false;
  evictedCount = 0;
  /** Of evictedCount, those evicted because maxExecutionsInFlight was reached. */
  evictedByCount = 0;
  private warnedCount = false;
  startedCount = 0;
  completedCount = 0;
  /** @internal Executions looked at by sweeps (a test counts the sweep's work with it). */
  sweepVisits = 0;

  /**
   * Called by a BreakdownSpanProcessor with an `abandonAfterMs` option while the span of a new
   * execution starts (synchronously inside the collector's constructor, before add()): that
   * execution gets this abandon time. Of several offers, the shortest wins.
   */
  offerAbandonAfterMs(ms: number): void {
    if (this.offeredMs === 0 || ms < this.offeredMs) this.offeredMs = ms;
  }

  add(e: Evictable): void {
    const offered = this.offeredMs;
    this.offeredMs = 0;
    if (e.state.inFlight) return;
    if (this.count >= limits.maxExecutionsInFlight) this.evictOldest();
    const lane = offered === 0 ? this.lanes[0] : this.laneFor(offered);
    this.link(e, lane);
    this.startedCount++;
    const now = e.state.startMs;
    if (now >= this.nextSweepAt) this.sweep(now);
    if (!this.timer) this.startTimer();
    else if (offered !== 0 && offered < this.timerForMs) this.restartTimer();
  }

  remove(e: Evictable): void {
    if (this.unlink(e)) this.completedCount++;
    const small = e.state.intervals.length <= ANCHOR_MAX_INTERVALS && e.metrics.length <= ANCHOR_MAX_METRICS;
    // A larger one is kept only while no small one has ended: a process whose executions all have
    // more phases (or metrics) needs its hidden classes kept alive too — the bench's executions of 80
    // and 8 000 phases, with a full GC before every round, ran deoptimized after each (V8
    // --trace-deopt: ~80 "weak objects" deoptimizations in the disabled scenario). It holds at most
    // limits.maxIntervalsPerExecution records and maxMetricsPerExecution metrics, once per process.
    if (small || !this.anchorIsSmall) {
      this.anchor = e;
      this.anchorIsSmall = small;
    }
    // The timer is not stopped here: a service running one execution at a time would clear and
    // re-arm it for every execution. The next sweep stops it when nothing is in flight (it is
    // unref()'d, so it never holds the process open).
  }

  get size(): number {
    return this.count;
  }

  /** The abandon time an execution in flight will be evicted after (undefined when not in flight). */
  abandonAfterMsOf(e: Evictable): number | undefined {
    return e.state.inFlight ? e.state.abandonLane?.afterMs : undefined;
  }

  /** The lane of a processor's fixed abandon time: made on first use, at most MAX_LANES. */
  private laneFor(ms: number): AbandonLane {
    const lanes = this.lanes;
    for (let i = 1; i < lanes.length; i++) if (lanes[i].afterMs === ms) return lanes[i];
    if (lanes.length < MAX_LANES) {
      const lane = new AbandonLane(ms);
      lanes.push(lane);
      return lane;
    }
    // Full: an empty lane is given up for the new time, else the nearest shorter one is shared.
    for (let i = 1; i < lanes.length; i++) {
      if (lanes[i].count === 0) return (lanes[i] = new AbandonLane(ms));
    }
    let below: AbandonLane | undefined;
    let shortest = lanes[0];
    for (const lane of lanes) {
      const t = lane.afterMs;
      if (t <= ms && (below === undefined || t > below.afterMs)) below = lane;
      if (t < shortest.afterMs) shortest = lane;
    }
    const pick = below ?? shortest;
    if (!this.warnedLanes) {
      this.warnedLanes = true;
      log.warn(
        `more than ${MAX_LANES - 1} different abandonAfterMs values in use at once; executions of ${ms} ms are evicted after ` +
          `${pick.afterMs} ms (use fewer distinct BreakdownSpanProcessor abandonAfterMs values)`,
      );
    }
    return pick;
  }

  /** Appends e to its lane (newest last). */
  private link(e: Evictable, lane: AbandonLane): void {
    const s = e.state;
    s.inFlight = true;
    s.abandonLane = lane;
    s.prevInFlight = lane.tail;
    s.nextInFlight = undefined;
    if (lane.tail) lane.tail.state.nextInFlight = e;
    else lane.head = e;
    lane.tail = e;
    lane.count++;
    this.count++;
  }

  /** Takes e off the in-flight list; false when it was not on it. Its links are cleared, so an
   *  ended execution keeps no other execution alive. */
  private unlink(e: Evictable): boolean {
    const s = e.state;
    if (!s.inFlight) return false;
    const lane = s.abandonLane!;
    const prev = s.prevInFlight;
    const next = s.nextInFlight;
    if (prev) prev.state.nextInFlight = next;
    else lane.head = next;
    if (next) next.state.prevInFlight = prev;
    else lane.tail = prev;
    s.prevInFlight = s.nextInFlight = undefined;
    s.inFlight = false;
    lane.count--;
    this.count--;
    return true;
  }

  /** Evicts executions older than their abandon time; returns how many. One look per lane, plus
   *  one per execution evicted. */
  sweep(now = monotonicNow()): number {
    // Sweep at most every tenth of the shortest eviction time: bounded work per execution started.
    let shortest = Infinity;
    let n = 0;
    let firstAfterMs = 0;
    for (const lane of this.lanes) {
      const afterMs = lane.afterMs;
      if (lane.count > 0 && afterMs < shortest) shortest = afterMs;
      const cutoff = now - afterMs;
      for (let e = lane.head; e !== undefined; e = lane.head) {
        this.sweepVisits++;
        if (e.state.startMs > cutoff) break; // start order = deadline order within a lane
        this.unlink(e);
        try {
          e.evict();
        } catch {
          // Eviction ends spans; nothing it does may break the host.
        }
        if (n++ === 0) firstAfterMs = afterMs;
      }
    }
    if (shortest === Infinity) shortest = limits.abandonAfterMs;
    this.nextSweepAt = now + Math.max(1, shortest / 10);
    if (n > 0) {
      this.evictedCount += n;
      if (!this.warned) {
        this.warned = true;
        log.warn(
          `evicted ${n} execution(s) never completed after ${firstAfterMs} ms; call complete() on every ` +
            'collector (later evictions are only counted: getAgentTimingHealth().evictedExecutions)',
        );
      }
    }
    if (this.count === 0) this.stopTimer();
    return n;
  }

  /**
   * Bounded by count as well as time: at limits.maxExecutionsInFlight executions in flight, the
   * oldest (the earliest start of the lanes' heads) is evicted (its spans ended, marked abandoned)
   * to admit the new one, with one diag warning and a count (getAgentTimingHealth().evictedExecutions).
   */
  private evictOldest(): void {
    let n = 0;
    while (this.count >= limits.maxExecutionsInFlight) {
      let oldest: Evictable | undefined;
      for (const lane of this.lanes) {
        const h = lane.head;
        if (h !== undefined && (oldest === undefined || h.state.startMs < oldest.state.startMs)) oldest = h;
      }
      if (oldest === undefined) break;
      this.unlink(oldest);
      try {
        oldest.evict();
      } catch {
        // Eviction ends spans; nothing it does may break the host.
      }
      n++;
    }
    this.evictedCount += n;
    this.evictedByCount += n;
    if (!this.warnedCount) {
      this.warnedCount = true;
      log.warn(
        `more than ${limits.maxExecutionsInFlight} executions in flight: the oldest was evicted; call complete() on every ` +
          'collector or raise maxExecutionsInFlight (later evictions are only counted: getAgentTimingHealth().evictedExecutions)',
      );
    }
  }

  private startTimer(): void {
    let shortest = limits.abandonAfterMs;
    for (const lane of this.lanes) if (lane.count > 0 && lane.afterMs < shortest) shortest = lane.afterMs;
    this.timerForMs = shortest;
    const every = Math.min(Math.max(shortest / 4, 10), 30_000);
    this.timer = setInterval(() => this.sweep(), every);
    this.timer.unref();
  }

  private restartTimer(): void {
    this.stopTimer();
    this.nextSweepAt = 0;
    this.startTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.timerForMs = Infinity;
  }

  /** Lets the last ended execution be collected (see `anchor`). */
  releaseAnchor(): void {
    this.anchor = undefined;
    this.anchorIsSmall = false;
  }

  /** For tests and shutdown: forget everything without evicting (and every processor's lane). */
  reset(): void {
    for (const lane of this.lanes) for (let e = lane.head; e !== undefined; e = lane.head) this.unlink(e);
    this.lanes = [this.lanes[0]];
    this.offeredMs = 0;
    this.anchor = undefined;
    this.anchorIsSmall = false;
    this.stopTimer();
    this.evictedCount = this.evictedByCount = this.startedCount = this.completedCount = this.sweepVisits = 0;
    this.warned = this.warnedCount = this.warnedLanes = false;
    this.nextSweepAt = 0;
  }

  /** Restarts the timer with the current limit (after the process default abandonAfterMs changed). */
  reschedule(): void {
    this.stopTimer();
    this.nextSweepAt = 0;
    if (this.count > 0) this.startTimer();
  }
}

export const executionRegistry = new ExecutionRegistry();
