import type { Context, Span } from '@opentelemetry/api';
import type { PhaseCategory } from './categories';

/** What made an interval: our own phase, our parallel task, or another instrumentation's span. */
export enum IntervalKind {
  Root = 0,
  Phase = 1,
  ParallelTask = 2,
  Foreign = 3,
}

/**
 * One timed stretch inside an execution, on the monotonic clock (ms). The execution itself is the
 * root interval; phases, parallel tasks and foreign spans hang below it through `parent`. Every
 * object of this shape is created with all its fields present (docs/architecture.md, speed invariant 1).
 */
export interface Interval {
  readonly kind: IntervalKind;
  readonly name: string;
  readonly start: number;
  /** NaN while the interval is still open. */
  end: number;
  /** 0 for the root, parent depth + 1 below it. */
  readonly depth: number;
  readonly parent: Interval | undefined;
  /** The category whose time this interval's own (uncovered-by-children) time is. */
  category: PhaseCategory | undefined;
  /** The span that represents it while it runs, when one was made (released when it stops). */
  span: Span | undefined;
  /** The category its time finally counts for (see resolveCategory); set at breakdown time. */
  resolved: PhaseCategory | undefined;
  /** Its depth counting only the intervals that take part in the breakdown: transparent ones
   *  (unclassified foreign spans) are not counted. 0 for the root; set at breakdown time with
   *  `resolved`, and `depth` until then. */
  level: number;
  /** OTel context with this interval's span active; made the first time a child needs it,
   *  released with the span. */
  ctx: Context | undefined;
  // (All are required fields, created undefined: adding them later would change each object's
  // hidden class and slow every function that reads intervals.)
}

export function isOpen(i: Interval): boolean {
  return i.end !== i.end; // NaN check without a call on the hot path
}
