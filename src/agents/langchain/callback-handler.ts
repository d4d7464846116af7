import type { Attributes } from '@opentelemetry/api';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { monotonicNow } from '../../internal/clock';
import { componentLogger, reportDrop } from '../../internal/diag';
import { cleanName, describeError } from '../../internal/sanitize';
import { ATTR_RUN_ID } from '../../otel/names';
import { EnhancedExecutionTimingCollector } from '../../timing/collector';
import type { BreakdownSink } from '../../timing/completion';
import type { PhaseTimer } from '../../timing/phase-timer';
import { currentCollector } from '../context-helpers';
import { chunkAttributes, recordChunkInterval } from '../internal/chunk-metrics';
import { startNestedPhase, stopTimer } from '../internal/core-hooks';
import { optionsSnapshot, readingInput } from '../../internal/guard';

/** Options of the LangChain.js callback handler. */
export interface AgentTimingCallbackHandlerOptions {
  /** Agent name of the executions made for root runs. Default: the root run's name (e.g. `RunnableSequence`). */
  agentName?: string;
  /** Put every run into this execution (root runs become its phases) instead of making executions. */
  collector?: EnhancedExecutionTimingCollector;
  /** A root run that starts inside an execution (withExecution, BaseAgent.execute, instrumentAgent…)
   *  becomes a phase of it rather than an execution of its own. Default true. */
  attachToCurrentExecution?: boolean;
  /** Also feed each execution the handler completes to this sink (e.g. a MetricsAggregator). Default: none. */
  aggregator?: BreakdownSink;
  /** Most runs tracked at once; later runs are dropped and counted. Default 10 000. */
  maxRuns?: number;
  /** Ask chat models to stream even under invoke() (LangChain's `lc_prefer_streaming`), so
   *  handleLLMNewToken fires and TTFT is measured for every call. Changes how models call their
   *  provider, hence off by default. */
  preferStreaming?: boolean;
}

type RunKind = 'chain' | 'llm' | 'tool' | 'retriever';

interface RunRecord {
  readonly collector: EnhancedExecutionTimingCollector;
  /** The run's phase (undefined for a root chain, which is the execution itself). */
  readonly timer: PhaseTimer | undefined;
  /** This run's end completes the collector (a root run the handler made an execution for). */
  readonly owns: boolean;
  /** The root run's record, for descendants; undefined for roots. */
  readonly root: RunRecord | undefined;
  /** Roots only: descendants still running, in start order. */
  readonly children: Map<string, RunRecord> | undefined;
  readonly chunkAttributes: Attributes | undefined;
  tokens: number;
  lastTokenAt: number;
}

const log = componentLogger('langchain');

const CATEGORY: Record<Exclude<RunKind, 'chain'>, string> = {
  llm: 'llm_processing',
  tool: 'tool_execution',
  retriever: 'database_query',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** The class name LangChain serializes a runnable under (`id` ends with it), or its `name`. */
function serializedName(s: unknown): string | undefined {
  if (s === null || typeof s !== 'object') return undefined;
  try {
    const o = s as { name?: unknown; id?: unknown };
    const named = str(o.name);
    if (named) return named;
    if (Array.isArray(o.id) && o.id.length > 0) return str(o.id[o.id.length - 1]);
  } catch {
    // unreadable: no name
  }
  return undefined;
}

function recordOf(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`agent-timing: ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/** The run table, shared by a handler and its copies (LangChain may copy() handlers). */
class HandlerState {
  readonly runs = new Map<string, RunRecord>();
  readonly agentName: string | undefined;
  readonly collector: EnhancedExecutionTimingCollector | undefined;
  readonly attach: boolean;
  readonly aggregator: BreakdownSink | undefined;
  readonly maxRuns: number;
  readonly preferStreaming: boolean;

  constructor(options: AgentTimingCallbackHandlerOptions) {
    this.agentName = cleanName(options.agentName);
    if (options.collector !== undefined && !(options.collector instanceof EnhancedExecutionTimingCollector)) {
      throw new TypeError('agent-timing: collector must be an EnhancedExecutionTimingCollector');
    }
    this.collector = options.collector;
    this.attach = options.attachToCurrentExecution !== false;
    this.aggregator = options.aggregator;
    this.maxRuns = positiveInteger(options.maxRuns, 'maxRuns', 10_000);
    this.preferStreaming = options.preferStreaming === true;
  }

  start(kind: RunKind, runId: unknown, parentRunId: string | undefined, name: string, metadata: Record<string, unknown> | undefined, chunkAttrs?: Attributes): void {
    if (typeof runId !== 'string' || runId === '') {
      reportDrop('langchain-invalid-run-id', 'a LangChain callback without a run id was ignored');
      return;
    }
    if (this.runs.has(runId)) return;
    if (this.runs.size >= this.maxRuns && this.sweep() === 0) {
      reportDrop('langchain-run-limit', `more than ${this.maxRuns} LangChain runs in flight; later runs are not timed (raise maxRuns)`);
      return;
    }
    const parent = parentRunId === undefined ? undefined : this.runs.get(parentRunId);
    if (parent) {
      if (parent.collector.completed) return;
      const root = parent.root ?? parent;
      const rec = this.record(parent.collector, startNestedPhase(parent.collector, parent.timer, name, metadata), false, root, chunkAttrs);
      root.children?.set(runId, rec);
      this.runs.set(runId, rec);
      return;
    }
    const host = this.collector ?? (this.attach ? currentCollector() : undefined);
    if (host && !host.completed) {
      this.runs.set(runId, this.record(host, startNestedPhase(host, 'current', name, metadata), false, undefined, chunkAttrs));
      return;
    }
    const collector = new EnhancedExecutionTimingCollector({
      executionId: runId,
      agentName: this.agentName ?? name,
      attributes: { [ATTR_RUN_ID]: runId },
      aggregator: this.aggregator,
    });
    // A root chain is the execution; a root model, tool or retriever call is a phase inside one.
    const timer = kind === 'chain' ? undefined : startNestedPhase(collector, undefined, name, metadata);
    this.runs.set(runId, this.record(collector, timer, true, undefined, chunkAttrs));
  }

  end(runId: unknown, error?: unknown, failed = false): void {
    if (typeof runId !== 'string') return;
    const rec = this.runs.get(runId);
    if (!rec) {
      log.debug(`end of LangChain run ${runId} that is not tracked (dropped, or started before the handler)`);
      return;
    }
    this.runs.delete(runId);
    rec.root?.children?.delete(runId);
    stopTimer(rec.timer, error, failed);
    if (rec.children && rec.children.size > 0) {
      // Descendants LangChain never ended (an abandoned stream): close them, innermost first.
      const left = [...rec.children.entries()].reverse();
      rec.children.clear();
      for (const [id, child] of left) {
        this.runs.delete(id);
        stopTimer(child.timer);
      }
    }
    if (rec.owns && !rec.collector.completed) rec.collector.complete({ success: !failed, error: failed ? error : undefined });
  }

  token(runId: unknown): void {
    if (typeof runId !== 'string') return;
    const rec = this.runs.get(runId);
    if (!rec || rec.collector.completed) return;
    const now = monotonicNow();
    if (rec.tokens === 0) rec.collector.recordFirstToken();
    else recordChunkInterval(now - rec.lastTokenAt, rec.chunkAttributes ?? chunkAttributes(undefined));
    rec.tokens++;
    rec.lastTokenAt = now;
  }

  private record(
    collector: EnhancedExecutionTimingCollector,
    timer: PhaseTimer | undefined,
    owns: boolean,
    root: RunRecord | undefined,
    chunkAttrs: Attributes | undefined,
  ): RunRecord {
    return { collector, timer, owns, root, children: root ? undefined : new Map(), chunkAttributes: chunkAttrs, tokens: 0, lastTokenAt: 0 };
  }

  /** Forgets runs whose execution ended behind our back (evicted as abandoned); how many. */
  private sweep(): number {
    let n = 0;
    for (const [id, rec] of this.runs) {
      if (rec.collector.completed) {
        this.runs.delete(id);
        n++;
      }
    }
    return n;
  }
}

/**
 * LangChain.js callback handler that times runs as agent-timing executions: a root chain (or
 * agent) run is one execution (`invoke_agent {name}`, execution id = the LangChain run id);
 * nested chains are its phases; LLM and chat-model runs are `llm_processing` phases (TTFT at the
 * first `handleLLMNewToken`, time between later tokens as `gen_ai.client.operation.time_per_output_chunk`);
 * tool runs are `tool_execution` phases (`execute_tool {name}` spans); retriever runs are
 * `database_query` phases. Errors mark the run's span failed and the execution failed when the
 * root fails. Callbacks are awaited (so timing is exact and the run's async context is
 * visible), never throw, and the run table is bounded.
 *
 * ```ts
 * import { AgentTimingCallbackHandler } from 'agent-timing/langchain';
 * await chain.invoke(input, { callbacks: [new AgentTimingCallbackHandler()] });
 * ```
 */
export class AgentTimingCallbackHandler extends BaseCallbackHandler {
  name = 'agent_timing';
  /** Read by LangChain: when true, chat models stream under invoke() (see the preferStreaming option). */
  readonly lc_prefer_streaming: boolean;
  private readonly state: HandlerState;

  constructor(options?: AgentTimingCallbackHandlerOptions) {
    super({ _awaitHandler: true });
    // copy() passes the handler itself: the copy shares the run table.
    this.state =
      readingInput('new AgentTimingCallbackHandler()', () => options instanceof AgentTimingCallbackHandler) && options instanceof AgentTimingCallbackHandler
        ? options.state
        : new HandlerState(optionsSnapshot<AgentTimingCallbackHandlerOptions>('new AgentTimingCallbackHandler()', options) ?? {});
    this.lc_prefer_streaming = this.state.preferStreaming;
  }

  /** LangChain runs being timed now. */
  get activeRunCount(): number {
    return this.state.runs.size;
  }

  // LangChain passes (chain, inputs, runId, parentRunId, tags, metadata, runType, runName); its
  // 1.x typings list (…, runId, runType, tags, metadata, runName, parentRunId). Both are read.
  override handleChainStart(chain: unknown, _inputs: unknown, runId: string, a4?: unknown, _tags?: unknown, _metadata?: unknown, a7?: unknown, a8?: unknown): void {
    this.safe(() => {
      const s = this.state;
      const parent = typeof a4 === 'string' && s.runs.has(a4) ? a4 : typeof a8 === 'string' && s.runs.has(a8) ? a8 : undefined;
      const runName = [a8, a7].map(str).find((v) => v !== undefined && !UUID.test(v));
      s.start('chain', runId, parent, cleanName(runName) ?? cleanName(serializedName(chain)) ?? 'chain', undefined);
    });
  }

  override handleChainEnd(_outputs: unknown, runId: string): void {
    this.safe(() => this.state.end(runId));
  }

  override handleChainError(err: unknown, runId: string): void {
    this.safe(() => this.state.end(runId, err, true));
  }

  override handleLLMStart(llm: unknown, _prompts: unknown, runId: string, parentRunId?: string, _extra?: unknown, _tags?: unknown, metadata?: unknown, runName?: unknown): void {
    this.safe(() => this.startModel(llm, runId, parentRunId, metadata, runName));
  }

  override handleChatModelStart(llm: unknown, _messages: unknown, runId: string, parentRunId?: string, _extra?: unknown, _tags?: unknown, metadata?: unknown, runName?: unknown): void {
    this.safe(() => this.startModel(llm, runId, parentRunId, metadata, runName));
  }

  override handleLLMNewToken(_token: unknown, _idx: unknown, runId: string): void {
    this.safe(() => this.state.token(runId));
  }

  override handleLLMEnd(_output: unknown, runId: string): void {
    this.safe(() => this.state.end(runId));
  }

  override handleLLMError(err: unknown, runId: string): void {
    this.safe(() => this.state.end(runId, err, true));
  }

  override handleToolStart(tool: unknown, _input: unknown, runId: string, parentRunId?: string, _tags?: unknown, _metadata?: unknown, runName?: unknown): void {
    this.safe(() => {
      const name = cleanName(str(runName)) ?? cleanName(serializedName(tool)) ?? 'tool';
      this.state.start('tool', runId, parentRunId, name, { category: CATEGORY.tool, toolName: name });
    });
  }

  override handleToolEnd(_output: unknown, runId: string): void {
    this.safe(() => this.state.end(runId));
  }

  override handleToolError(err: unknown, runId: string): void {
    this.safe(() => this.state.end(runId, err, true));
  }

  override handleRetrieverStart(retriever: unknown, _query: unknown, runId: string, parentRunId?: string, _tags?: unknown, _metadata?: unknown, name?: unknown): void {
    this.safe(() => {
      const n = cleanName(str(name)) ?? cleanName(serializedName(retriever)) ?? 'retriever';
      this.state.start('retriever', runId, parentRunId, n, { category: CATEGORY.retriever });
    });
  }

  override handleRetrieverEnd(_documents: unknown, runId: string): void {
    this.safe(() => this.state.end(runId));
  }

  override handleRetrieverError(err: unknown, runId: string): void {
    this.safe(() => this.state.end(runId, err, true));
  }

  private startModel(llm: unknown, runId: string, parentRunId: unknown, metadata: unknown, runName: unknown): void {
    const m = recordOf(metadata);
    const model = str(m?.ls_model_name);
    const provider = str(m?.ls_provider);
    const name = cleanName(str(runName)) ?? cleanName(serializedName(llm)) ?? 'llm';
    const phaseMetadata: Record<string, unknown> = { category: CATEGORY.llm };
    if (model) phaseMetadata['gen_ai.request.model'] = model;
    if (provider) phaseMetadata['gen_ai.provider.name'] = provider;
    const parent = typeof parentRunId === 'string' ? parentRunId : undefined;
    this.state.start('llm', runId, parent, name, phaseMetadata, chunkAttributes({ providerName: provider, requestModel: model }));
  }

  /** Every callback body: an exception is counted and logged once, never thrown into LangChain. */
  private safe(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      reportDrop('langchain-handler-error', `the LangChain callback handler hit an error and skipped the event: ${describeError(err)}`);
    }
  }
}
