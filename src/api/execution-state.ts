import type { Span } from '@opentelemetry/api';
import { reportDrop } from '../internal/diag';
import { ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK } from '../spans/semconv';
import { limits } from '../internal/limits';
import type { PhaseCategory } from '../breakdown/categories';
import { IntervalKind, type Interval } from '../breakdown/interval';
import type { AbandonLane, Evictable } from './execution-registry';

/**
 * Everything recorded about one execution, on the monotonic clock. Both writers append here: the
 * collector (its own phases, with no SDK needed) and the BreakdownSpanProcessor (spans of other
 * instrumentations). Memory is bounded by limits.maxIntervalsPerExecution.
 */
export class ExecutionState {
  readonly root: Interval;
  readonly intervals: Interval[] = [];
  /** Foreign spans started but not yet ended, by span id, so their children find their depth.
   *  Made when the first one starts: most executions never see one. */
  openForeign: Map<string, Interval> | undefined;
  foreignSpanCount = 0;
  /** The earliest first-output-token instant seen from any source (monotonic clock), if any. */
  firstTokenAt: number | undefined;
  droppedIntervals = 0;
  /** Set when complete() ran or the execution was evicted; later writes are ignored. */
  ended = false;
  evicted = false;
  /** @internal Set once code ran in a scope of this execution (runInScope): until then no async
   *  context can hold one, and starting a phase skips the AsyncLocalStorage lookup. */
  scoped = false;
  /** @internal The execution registry's links: whether the execution is in its in-flight list,
   *  and its neighbours there (older, newer). */
  inFlight = false;
  prevInFlight: Evictable | undefined = undefined;
  nextInFlight: Evictable | undefined = undefined;
  /** @internal The registry's list this execution is in: it fixes, when the execution starts, the
   *  abandon time after which it is evicted if never completed. */
  abandonLane: AbandonLane | undefined = undefined;

  constructor(
    readonly executionId: string,
    readonly agentName: string,
    readonly startMs: number,
    readonly startedAt: number,
    rootSpan: Span | undefined,
  ) {
    this.root = {
      kind: IntervalKind.Root,
      name: agentName,
      start: startMs,
      end: NaN,
      depth: 0,
      parent: undefined,
      category: undefined,
      span: rootSpan,
      resolved: undefined,
      level: 0,
      ctx: undefined,
    };
  }

  /**
   * Records a first-output-token instant (monotonic ms) from any source: our API, instrumentStream,
   * a foreign span's first-chunk attribute or event. The earliest wins. Returns the TTFT (ms since
   * the execution started). The caller checks `at` lies within the execution.
   */
  noteFirstToken(at: number): number {
    if (this.firstTokenAt === undefined || at < this.firstTokenAt) {
      this.firstTokenAt = at;
      const span = this.root.span;
      if (span) {
        try {
          span.setAttribute(ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, (at - this.startMs) / 1000);
        } catch {
          // never let span bookkeeping break the caller
        }
      }
    }
    return this.firstTokenAt - this.startMs;
  }

  /** Whether one more interval may be recorded; false (counted) when the execution is full or over. */
  hasRoom(): boolean {
    if (this.ended) return false;
    if (this.intervals.length < limits.maxIntervalsPerExecution) return true;
    this.droppedIntervals++;
    reportDrop('execution-interval-limit', `an execution reached ${limits.maxIntervalsPerExecution} phases/spans; later ones are not in its breakdown`);
    return false;
  }

  /** Appends an interval of another instrumentation's span, or returns undefined (counted) when
   *  the execution is full or over. (Our phases are their own intervals: see PhaseTimer.) */
  add(
    kind: IntervalKind,
    name: string,
    start: number,
    parent: Interval | undefined,
    category: PhaseCategory | undefined,
  ): Interval | undefined {
    if (!this.hasRoom()) return undefined;
    const p = parent ?? this.root;
    const iv: Interval = { kind, name, start, end: NaN, depth: p.depth + 1, parent: p, category, span: undefined, resolved: undefined, level: p.depth + 1, ctx: undefined };
    this.intervals.push(iv);
    return iv;
  }
}
