import type { Span } from '@opentelemetry/api';
import { reportDrop } from '../internal/diag';
import type { MetricType } from '../types/metric-type';
import type { Interval } from './interval';
import type { NameSlot } from './phase-book';

/** The collector side a timer talks to (kept as an interface so timers stay tiny). */
export interface TimerOwner {
  /** Ends the timer's interval; returns its duration in ms. */
  finishTimer(timer: PhaseTimer): number;
}

/**
 * A running phase or parallel task. `stop()` ends it once and returns the duration in ms; later
 * calls return undefined. `using t = collector.measure('x')` stops it when the block exits.
 */
export class PhaseTimer {
  /** Duration in ms once stopped. */
  durationMs: number | undefined;
  /** @internal The running timer of the same name started before this one (a linked stack). */
  prevSameName: PhaseTimer | undefined;
  /** @internal Its execution's bookkeeping for its name. */
  slot: NameSlot | undefined;

  /** @internal */
  constructor(
    readonly name: string,
    /** @internal */ readonly owner: TimerOwner | undefined,
    /** @internal */ readonly interval: Interval | undefined,
    /** @internal the metric measure() records when the timer stops. */ readonly metricType: MetricType | undefined,
  ) {}

  /** The OpenTelemetry span of this phase, when one was made (to add attributes or events). */
  get span(): Span | undefined {
    return this.interval?.span;
  }

  /** True until stopped. */
  get running(): boolean {
    return this.durationMs === undefined && this.owner !== undefined;
  }

  stop(): number | undefined {
    if (this.owner === undefined) return undefined; // the dropped call was reported already
    if (!this.running) {
      reportDrop('phase-not-running', `stop() on phase "${this.name}" which is not running was ignored`);
      return undefined;
    }
    this.durationMs = this.owner!.finishTimer(this);
    return this.durationMs;
  }

  [Symbol.dispose](): void {
    if (this.running) this.stop();
  }
}

/** A timer for a call that was dropped (bad name, after complete()): stopping it does nothing. */
export function inertTimer(name: unknown): PhaseTimer {
  return new PhaseTimer(typeof name === 'string' ? name : '<invalid>', undefined, undefined, undefined);
}
