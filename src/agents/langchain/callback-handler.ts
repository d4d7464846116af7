import type { Attributes } from '@opentelemetry/api';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { monotonicNow } from '../../internal/clock';
import { componentLogger, reportDrop } from '../../internal/diag';
import { cleanName, describeError } from '../../internal/sanitize';
import { ATTR_RUN_ID } from '../../spans/names';
import { EnhancedExecutionTimingCollector } from '../../api/collector';
import type { BreakdownSink } from '../../api/completion';
import type { PhaseTimer } from '../../api/phase-timer';
import { currentCollector } from '../context-helpers';
import { chunkAttributes, recordChunkInterval } from '../internal/chunk-metrics';
import { startNestedPhase, stopTimer } from '../internal/core-hooks';
import { claimCell, emptyCell, fillCell, installRunContext, phaseContext, type RunCell } from './run-context';
import { isVisibleToken } from '../internal/visible-text';
import { optionsSnapshot, readingInput } from '../../internal/guard';
import { optionFailure, positiveInteger, type OptionFailure } from '../../internal/options';

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
  /** Time nested chain runs (sequence steps, RunnableLambdas, LangGraph nodes) as phases of their
   *  own, with no category (their own time is then `uncategorized`), and a root chain started inside
   *  an execution as a phase of it. Default false: chains are framework orchestration, the
   *  execution's model, tool and retriever phases nest directly under the execution (or the phase
   *  the agent was started in), and the time only chains cover is overhead — the GenAI shape
   *  `invoke_agent` → `chat` / `execute_tool`. */
  chainPhases?: boolean;
  /** Ask chat models to stream even under invoke() (LangChain's `lc_prefer_streaming`), so
   *  handleLLMNewToken fires and TTFT is measured for every call. Changes how models call their
   *  provider, hence off by default. */
  preferStreaming?: boolean;
}

type RunKind = 'chain' | 'llm' | 'tool' | 'retriever';

interface RunRecord {
  readonly collector: EnhancedExecutionTimingCollector;
  /** The run's own phase (undefined for a root chain, which is the execution itself, and for
   *  chains when chainPhases is off). */
  readonly timer: PhaseTimer | undefined;
  /** Where the run's child runs nest: its own phase, the nearest ancestor's, the execution
   *  (undefined), or the phase current where the child starts ('current', inside a host execution). */
  readonly under: PhaseTimer | undefined | 'current';
  /** This run's end completes the collector (a root run the handler made an execution for). */
  readonly owns: boolean;
  /** The root run's record, for descendants; undefined for roots. */
  readonly root: RunRecord | undefined;
  /** Roots only: descendants still running, in start order. */
  readonly children: Map<string, RunRecord> | undefined;
  readonly chunkAttributes: Attributes | undefined;
  /** The cell of the LangChain call running this run's body (tool, model and retriever runs). */
  readonly cell: RunCell | undefined;
  tokens: number;
  lastTokenAt: number;
  /** A token the user could see arrived (TTFT is taken at the first). */
  visible: boolean;
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

const fail: OptionFailure = optionFailure('', RangeError, String);

/** The run table, shared by a handler and its copies (LangChain may copy() handlers). */
class HandlerState {
  readonly runs = new Map<string, RunRecord>();
  readonly agentName: string | undefined;
  readonly collector: EnhancedExecutionTimingCollector | undefined;
  readonly attach: boolean;
  readonly aggregator: BreakdownSink | undefined;
  readonly maxRuns: number;
  readonly preferStreaming: boolean;
  readonly chainPhases: boolean;

  constructor(options: AgentTimingCallbackHandlerOptions) {
    this.agentName = cleanName(options.agentName);
    if (options.collector !== undefined && !(options.collector instanceof EnhancedExecutionTimingCollector)) {
      throw new TypeError('agent-timing: collector must be an EnhancedExecutionTimingCollector');
    }
    this.collector = options.collector;
    this.attach = options.attachToCurrentExecution !== false;
    this.aggregator = options.aggregator;
    this.maxRuns = positiveInteger('maxRuns', options.maxRuns, 10_000, fail);
    this.preferStreaming = options.preferStreaming === true;
    this.chainPhases = options.chainPhases === true;
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
    const phased = kind !== 'chain' || this.chainPhases;
    const parent = parentRunId === undefined ? undefined : this.runs.get(parentRunId);
    if (parent) {
      if (parent.collector.completed) return;
      const root = parent.root ?? parent;
      const timer = phased ? startNestedPhase(parent.collector, parent.under, name, metadata) : undefined;
      const rec = this.record(kind, runId, parent.collector, timer, timer ?? parent.under, false, root, chunkAttrs);
      root.children?.set(runId, rec);
      this.runs.set(runId, rec);
      return;
    }
    const host = this.collector ?? (this.attach ? currentCollector() : undefined);
    if (host && !host.completed) {
      const timer = phased ? startNestedPhase(host, 'current', name, metadata) : undefined;
      this.runs.set(runId, this.record(kind, runId, host, timer, timer ?? 'current', false, undefined, chunkAttrs));
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
    this.runs.set(runId, this.record(kind, runId, collector, timer, timer, true, undefined, chunkAttrs));
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
    emptyCell(rec.cell);
    stopTimer(rec.timer, error, failed);
    if (rec.children && rec.children.size > 0) {
      // Descendants LangChain never ended (an abandoned stream): close them, innermost first.
      const left = [...rec.children.entries()].reverse();
      rec.children.clear();
      for (const [id, child] of left) {
        this.runs.delete(id);
        emptyCell(child.cell);
        stopTimer(child.timer);
      }
    }
    if (rec.owns && !rec.collector.completed) rec.collector.complete({ success: !failed, error: failed ? error : undefined });
  }

  /**
   * A streamed chunk of a model run. Every chunk counts for the time between chunks; TTFT is
   * taken at the first one with visible text (see isVisibleToken): the empty token LangChain
   * sends for a tool-call chunk of an intermediate step is not the first token.
   */
  token(runId: unknown, token: unknown, fields: unknown): void {
    if (typeof runId !== 'string') return;
    const rec = this.runs.get(runId);
    if (!rec || rec.collector.completed) return;
    const now = monotonicNow();
    if (rec.tokens > 0) recordChunkInterval(now - rec.lastTokenAt, rec.chunkAttributes ?? chunkAttributes(undefined));
    rec.tokens++;
    rec.lastTokenAt = now;
    if (!rec.visible && isVisibleToken(token, fields)) {
      rec.visible = true;
      rec.collector.recordFirstToken();
    }
  }

  private record(
    kind: RunKind,
    runId: string,
    collector: EnhancedExecutionTimingCollector,
    timer: PhaseTimer | undefined,
    under: PhaseTimer | undefined | 'current',
    owns: boolean,
    root: RunRecord | undefined,
    chunkAttrs: Attributes | undefined,
  ): RunRecord {
    // The body of a tool, model or retriever run runs in the call LangChain started it from:
    // its cell gets the phase, so spans made in the body are the phase's children.
    let cell: RunCell | undefined;
    if (kind !== 'chain') {
      cell = claimCell(kind, runId);
      if (cell) fillCell(cell, phaseContext(collector, timer));
    }
    return { collector, timer, under, owns, root, children: root ? undefined : new Map(), chunkAttributes: chunkAttrs, cell, tokens: 0, lastTokenAt: 0, visible: false };
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
    installRunContext();
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

  override handleLLMNewToken(token: unknown, _idx: unknown, runId: string, _parentRunId?: unknown, _tags?: unknown, fields?: unknown): void {
    this.safe(() => this.state.token(runId, token, fields));
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
