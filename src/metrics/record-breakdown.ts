import type { Attributes } from '@opentelemetry/api';
import { BREAKDOWN_CATEGORIES, CATEGORY_FIELD, type PhaseCategory } from '../breakdown/categories';
import type { ExecutionState } from '../api/execution-state';
import { IntervalKind, isOpen, type Interval } from '../breakdown/interval';
import { resolveCategory } from '../breakdown/resolve-categories';
import type { TimingBreakdown } from '../breakdown/timing-breakdown';
import { labelsFor, type LabelSets, type Outcome } from './label-limiter';
import { LABEL_AGENT, LABEL_ERROR_TYPE, LABEL_GEN_AI_OPERATION } from '../spans/names';

/** What takes one observation: an SDK Histogram or a pre-aggregated one. */
export interface HistogramSink {
  record(seconds: number, attributes: Attributes): void;
}

/** agent-timing's histograms, wherever they are kept. */
export interface ExecutionHistograms {
  readonly execution: HistogramSink;
  readonly phase: HistogramSink;
  readonly ttft: HistogramSink;
  /** One observation per operation (see OPERATION_CATEGORIES). */
  readonly operation: HistogramSink;
  /** GenAI conventions: gen_ai.invoke_agent.duration, gen_ai.execute_tool.duration,
   *  gen_ai.workflow.duration, gen_ai.client.operation.time_to_first_chunk. */
  readonly invokeAgent: HistogramSink;
  readonly executeTool: HistogramSink;
  readonly workflow: HistogramSink;
  readonly timeToFirstChunk: HistogramSink;
}

/** Categories whose intervals are operations: each one is observed on its own in
 *  agent_operation_duration_seconds (initialization and queue wait are per-execution only). */
export const OPERATION_CATEGORIES: readonly PhaseCategory[] = [
  'tool_execution',
  'llm_processing',
  'websocket_notification',
  'database_query',
  'external_api',
];
const IS_OPERATION: ReadonlySet<PhaseCategory> = new Set(OPERATION_CATEGORIES);
const CATEGORY_INDEX = new Map(BREAKDOWN_CATEGORIES.map((c, i) => [c, i]));

/** The GenAI attribute sets of one (agent, outcome), built once. */
interface GenAiSets {
  readonly agent: Attributes;
  readonly workflow: Attributes;
  readonly chat: Attributes;
  readonly tool: Attributes;
}
const genAiByBase = new WeakMap<Attributes, GenAiSets>();
/** gen_ai.execute_tool.duration carries no `gen_ai.tool.name` (nor agent name): tool names are phase
 *  names, user input that never becomes a metric label here (spans keep it). One series per outcome. */
const TOOL_SUCCESS: Attributes = Object.freeze({ [LABEL_GEN_AI_OPERATION]: 'execute_tool' });
const TOOL_ERROR: Attributes = Object.freeze({ [LABEL_GEN_AI_OPERATION]: 'execute_tool', [LABEL_ERROR_TYPE]: '_OTHER' });

function genAiSets(labels: LabelSets, outcome: Outcome): GenAiSets {
  let g = genAiByBase.get(labels.base);
  if (g === undefined) {
    const agentLabel = String(labels.base[LABEL_AGENT]);
    const error = outcome === 'error' ? { [LABEL_ERROR_TYPE]: '_OTHER' } : {};
    g = {
      agent: Object.freeze({ [LABEL_GEN_AI_OPERATION]: 'invoke_agent', [LABEL_AGENT]: agentLabel, ...error }),
      workflow: Object.freeze({ [LABEL_GEN_AI_OPERATION]: 'invoke_workflow', ...error }),
      chat: Object.freeze({ [LABEL_GEN_AI_OPERATION]: 'chat', [LABEL_AGENT]: agentLabel }),
      tool: outcome === 'error' ? TOOL_ERROR : TOOL_SUCCESS,
    };
    genAiByBase.set(labels.base, g);
  }
  return g;
}

/** The name of the execution's root span, when it is a recording SDK span. */
function rootSpanName(state: ExecutionState): string | undefined {
  const name = (state.root.span as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Records a completed execution: its duration, its TTFT, one observation per category with time
 * in it (seconds, labelled by agent, outcome and category: the fleet-wide share is sum of category
 * time / sum of execution time), and, given the execution's intervals, one observation per
 * operation and the GenAI conventions' histograms. Runs once per execution at completion.
 */
export function recordBreakdown(b: TimingBreakdown, outcome: Outcome, into: ExecutionHistograms, state?: ExecutionState): void {
  const labels = labelsFor(b.agentName, outcome);
  const totalSeconds = b.totalMs / 1000;
  into.execution.record(totalSeconds, labels.base);
  if (b.ttftMs !== undefined) into.ttft.record(b.ttftMs / 1000, labels.base);
  for (let c = 0; c < BREAKDOWN_CATEGORIES.length; c++) {
    const ms = b[CATEGORY_FIELD[BREAKDOWN_CATEGORIES[c]]];
    if (ms > 0) into.phase.record(ms / 1000, labels.byCategory[c]);
  }
  const g = genAiSets(labels, outcome);
  const workflow = state !== undefined && rootSpanName(state)?.startsWith('invoke_workflow') === true;
  if (workflow) into.workflow.record(totalSeconds, g.workflow);
  else into.invokeAgent.record(totalSeconds, g.agent);
  if (state !== undefined) recordOperations(state, b.ttftMs, labels, g, into);
}

/**
 * One observation per operation: each interval (our phase, parallel task or another
 * instrumentation's span) whose category is an operation category, unless an enclosing interval
 * already counts as an operation of the same category (a pg span inside the user's
 * `database_query` phase is that query, not a second one). Its duration is the interval's own,
 * children included. The LLM call holding the first token also gives the time to first chunk.
 */
function recordOperations(state: ExecutionState, ttftMs: number | undefined, labels: LabelSets, g: GenAiSets, into: ExecutionHistograms): void {
  const intervals = state.intervals;
  const firstToken = ttftMs === undefined ? NaN : state.startMs + ttftMs;
  let chunkRecorded = false;
  for (let i = 0; i < intervals.length; i++) {
    const iv = intervals[i];
    const c = resolveCategory(iv); // recording order: parents are resolved before their children
    if (c === undefined || !IS_OPERATION.has(c) || isOpen(iv) || withinSame(iv, c)) continue;
    const ms = iv.end - iv.start;
    if (!(ms >= 0)) continue;
    into.operation.record(ms / 1000, labels.byCategory[CATEGORY_INDEX.get(c)!]);
    if (c === 'tool_execution') into.executeTool.record(ms / 1000, g.tool);
    else if (c === 'llm_processing' && !chunkRecorded && firstToken >= iv.start && firstToken <= iv.end) {
      into.timeToFirstChunk.record((firstToken - iv.start) / 1000, g.chat);
      chunkRecorded = true;
    }
  }
}

/** Whether an enclosing interval (below the root) resolved to the same category. */
function withinSame(iv: Interval, c: PhaseCategory): boolean {
  for (let p = iv.parent; p !== undefined && p.kind !== IntervalKind.Root; p = p.parent) {
    if (p.resolved === c) return true;
  }
  return false;
}
