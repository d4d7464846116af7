import { componentLogger } from '../internal/diag';
import { limits } from '../internal/limits';
import { monotonicNow } from '../internal/clock';
import type { ExecutionState } from './execution-state';

const log = componentLogger('executions');

/** Something that can end an abandoned execution (the collector that owns it). */
export interface Evictable {
  readonly state: ExecutionState;
  /** Ends the execution's spans and frees it; called once, by the registry. */
  evict(): void;
}

/**
 * The executions in flight in this process, oldest first. It exists for one reason: an execution
 * that is never completed must not hold memory (or spans) forever. Sweeps run lazily when new
 * executions start and on an unref()'d timer, evicting every execution older than
 * limits.abandonAfterMs, with one diag warning and a counter.
 */
class ExecutionRegistry {
  private readonly inFlight = new Set<Evictable>();
  private nextSweepAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private warned = false;
  evictedCount = 0;
  startedCount = 0;
  completedCount = 0;

  add(e: Evictable): void {
    this.inFlight.add(e);
    this.startedCount++;
    const now = e.state.startMs;
    if (now >= this.nextSweepAt) this.sweep(now);
    if (!this.timer) this.startTimer();
  }

  remove(e: Evictable): void {
    if (this.inFlight.delete(e)) this.completedCount++;
    // The timer is not stopped here: a service running one execution at a time would clear and
    // re-arm it for every execution. The next sweep stops it when nothing is in flight (it is
    // unref()'d, so it never holds the process open).
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Evicts executions older than the limit; returns how many. */
  sweep(now = monotonicNow()): number {
    const cutoff = now - limits.abandonAfterMs;
    // Sweep at most every tenth of the eviction time: bounded work per execution started.
    this.nextSweepAt = now + Math.max(1, limits.abandonAfterMs / 10);
    let n = 0;
    for (const e of this.inFlight) {
      if (e.state.startMs > cutoff) break; // insertion order = start order
      this.inFlight.delete(e);
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
    if (this.inFlight.size === 0) this.stopTimer();
    return n;
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

  /** For tests and shutdown: forget everything without evicting. */
  reset(): void {
    this.inFlight.clear();
    this.stopTimer();
    this.evictedCount = this.startedCount = this.completedCount = 0;
    this.warned = false;
    this.nextSweepAt = 0;
  }

  /** Restarts the timer with the current limit (after abandonAfterMs changed). */
  reschedule(): void {
    this.stopTimer();
    this.nextSweepAt = 0;
    if (this.inFlight.size > 0) this.startTimer();
  }
}

export const executionRegistry = new ExecutionRegistry();
