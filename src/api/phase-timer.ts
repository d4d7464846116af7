import type { Context, Span } from '@opentelemetry/api';
import { reportDrop } from '../internal/diag';
import type { MetricType } from '../types/metric-type';
import type { PhaseCategory } from '../breakdown/categories';
import { IntervalKind, type Interval } from '../breakdown/interval';
import type { NameSlot } from './phase-book';

/** The collector side a timer talks to (kept as an interface so timers stay tiny). */
export interface TimerOwner {
  /** Ends the timer's interval; returns its duration in ms. */
  finishTimer(timer: PhaseTimer): number;
}

/**
 * A running phase or parallel task. `stop()` ends it once and returns the duration in ms; later
 * calls return undefined. `using t = collector.measure('x')` stops it when the block exits.
 *
 * A timer is also its phase's record in the execution (an Interval): one object per phase rather
 * than two, on the hot path of every phase. The Interval fields are internal.
 */
export class PhaseTimer {
  /** @internal A timer of the same name started before this one (a linked stack; see PhaseBook.finish). */
  prevSameName: PhaseTimer | undefined = undefined;
  /** @internal Its execution's bookkeeping for its name. */
  slot: NameSlot | undefined = undefined;
  /** @internal NaN while running. */
  end = NaN;
  /** @internal */
  readonly depth: number;
  /**
   * The OpenTelemetry span of this phase while it runs, when one was made (to add attributes or
   * events). Undefined once the phase stopped (its span ended and was released), and for phases of
   * an execution whose trace was sampled out (they are recorded without spans).
   */
  span: Span | undefined = undefined;
  /** @internal */
  resolved: PhaseCategory | undefined = undefined;
  /** @internal */
  level: number;
  /** @internal */
  ctx: Context | undefined = undefined;

  /** @internal */
  constructor(
    readonly name: string,
    /** @internal */ readonly owner: TimerOwner | undefined,
    /** @internal */ readonly kind: IntervalKind,
    /** @internal monotonic ms */ readonly start: number,
    /** @internal */ readonly parent: Interval | undefined,
    /** @internal */ public category: PhaseCategory | undefined,
    /** @internal the metric measure() records when the timer stops. */ readonly metricType: MetricType | undefined,
  ) {
    this.depth = parent === undefined ? 1 : parent.depth + 1;
    this.level = this.depth;
  }

  /**
   * Duration in ms once stopped (undefined while running). Derived from the record's start and
   * end rather than stored: a stopped phase's record stays until its execution completes, and a
   * stored double is one more field and one more heap number per record (24 of ~200 bytes).
   */
  get durationMs(): number | undefined {
    return this.end === this.end ? this.end - this.start : undefined;
  }

  /** @internal Its record in the execution; undefined for a timer of a dropped call. */
  get interval(): Interval | undefined {
    return this.owner === undefined ? undefined : this;
  }

  /** True until stopped. */
  get running(): boolean {
    return this.end !== this.end && this.owner !== undefined;
  }

  stop(): number | undefined {
    if (this.owner === undefined) return undefined; // the dropped call was reported already
    if (!this.running) {
      reportDrop('phase-not-running', `stop() on phase "${this.name}" which is not running was ignored`);
      return undefined;
    }
    return this.owner.finishTimer(this);
  }

  [Symbol.dispose](): void {
    if (this.running) this.stop();
  }
}

/** A timer for a call that was dropped (bad name, after complete()): stopping it does nothing. */
export function inertTimer(name: unknown): PhaseTimer {
  return new PhaseTimer(typeof name === 'string' ? name : '<invalid>', undefined, IntervalKind.Phase, NaN, undefined, undefined, undefined);
}
