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
 * The executions in flight in this process, oldest first. It exists for one reason: an execution
 * that is never completed must not hold memory (or spans) forever. Sweeps run lazily when new
 * executions start and on an unref()'d timer, evicting every execution older than
 * limits.abandonAfterMs, with one diag warning and a counter; and at most
 * limits.maxExecutionsInFlight are held (the oldest is evicted to admit a new one), so a burst
 * of abandoned executions is bounded by count before the time limit reaches them.
 */
class ExecutionRegistry {
  /**
   * The executions in flight, oldest first: a list linked through their states (see
   * ExecutionState.prevInFlight), not a Set. Adding a new object to a Set and deleting it again costs
   * its identity hash and, as the Set's table grows and shrinks, a rehash: 0.14–1.7 µs per
   * execution measured (bench: node micro-benchmark of one add + one delete per new object, the
   * pattern of an execution), against ~40 ns for the two link updates.
   */
  private head: Evictable | undefined;
  private tail: Evictable | undefined;
  private count = 0;
  private nextSweepAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private warned = false;
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

  add(e: Evictable): void {
    if (e.state.inFlight) return;
    if (this.count >= limits.maxExecutionsInFlight) this.evictOldest();
    this.link(e);
    this.startedCount++;
    const now = e.state.startMs;
    if (now >= this.nextSweepAt) this.sweep(now);
    if (!this.timer) this.startTimer();
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

  /** Appends e to the in-flight list (newest last). */
  private link(e: Evictable): void {
    const s = e.state;
    s.inFlight = true;
    s.prevInFlight = this.tail;
    s.nextInFlight = undefined;
    if (this.tail) this.tail.state.nextInFlight = e;
    else this.head = e;
    this.tail = e;
    this.count++;
  }

  /** Takes e off the in-flight list; false when it was not on it. Its links are cleared, so an
   *  ended execution keeps no other execution alive. */
  private unlink(e: Evictable): boolean {
    const s = e.state;
    if (!s.inFlight) return false;
    const prev = s.prevInFlight;
    const next = s.nextInFlight;
    if (prev) prev.state.nextInFlight = next;
    else this.head = next;
    if (next) next.state.prevInFlight = prev;
    else this.tail = prev;
    s.prevInFlight = s.nextInFlight = undefined;
    s.inFlight = false;
    this.count--;
    return true;
  }

  /** Evicts executions older than the limit; returns how many. */
  sweep(now = monotonicNow()): number {
    const cutoff = now - limits.abandonAfterMs;
    // Sweep at most every tenth of the eviction time: bounded work per execution started.
    this.nextSweepAt = now + Math.max(1, limits.abandonAfterMs / 10);
    let n = 0;
    for (let e = this.head; e !== undefined; e = this.head) {
      if (e.state.startMs > cutoff) break; // insertion order = start order
      this.unlink(e);
      try {
        e.evict();
      } catch {
        // Eviction ends spans; nothing it does may break the host.
      }
      n++;
    }
    if (n > 0) {
      this.evictedCount += n;
      if (!this.warned) {
        this.warned = true;
        log.warn(
          `evicted ${n} execution(s) never completed after ${limits.abandonAfterMs} ms; call complete() on every ` +
            'collector (later evictions are only counted: getAgentTimingHealth().evictedExecutions)',
        );
      }
    }
    if (this.count === 0) this.stopTimer();
    return n;
  }

  /**
   * Bounded by count as well as time: at limits.maxExecutionsInFlight executions in flight, the
   * oldest is evicted (its spans ended, marked abandoned) to admit the new one, with one diag
   * warning and a count (getAgentTimingHealth().evictedExecutions).
   */
  private evictOldest(): void {
    let n = 0;
    for (let oldest = this.head; oldest !== undefined; oldest = this.head) {
      if (this.count < limits.maxExecutionsInFlight) break;
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
    const every = Math.min(Math.max(limits.abandonAfterMs / 4, 10), 30_000);
    this.timer = setInterval(() => this.sweep(), every);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Lets the last ended execution be collected (see `anchor`). */
  releaseAnchor(): void {
    this.anchor = undefined;
    this.anchorIsSmall = false;
  }

  /** For tests and shutdown: forget everything without evicting. */
  reset(): void {
    for (let e = this.head; e !== undefined; e = this.head) this.unlink(e);
    this.anchor = undefined;
    this.anchorIsSmall = false;
    this.stopTimer();
    this.evictedCount = this.evictedByCount = this.startedCount = this.completedCount = 0;
    this.warned = this.warnedCount = false;
    this.nextSweepAt = 0;
  }

  /** Restarts the timer with the current limit (after abandonAfterMs changed). */
  reschedule(): void {
    this.stopTimer();
    this.nextSweepAt = 0;
    if (this.count > 0) this.startTimer();
  }
}

export const executionRegistry = new ExecutionRegistry();
