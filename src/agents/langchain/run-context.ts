import { context, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { componentLogger } from '../../internal/diag';
import type { EnhancedExecutionTimingCollector } from '../../api/collector';
import { EXECUTION_SCOPE_KEY, type ExecutionScope } from '../../api/execution-scope';
import type { PhaseTimer } from '../../api/phase-timer';

/*
 * Why this module exists. LangChain.js tells callback handlers that a tool or model run starts
 * (handleToolStart, handleChatModelStart…) and then runs the body (StructuredTool._call,
 * BaseChatModel._streamResponseChunks / _generate…) in the caller's async context: a handler is
 * called inside its own async scope that is gone before the body runs, so it cannot make its span
 * the active OpenTelemetry context (langchain-ai/langchainjs#11221; @langchain/core 1.4 has no
 * hook for it). Spans the body makes — undici fetch, pg, an LLM client — then start under
 * whatever was active before the run: a root of another trace with the handler alone, or the
 * execution span inside withExecution, and their time is charged to the wrong phase.
 *
 * The mechanism: the base-class methods that run a body right after its start callback
 * (StructuredTool.call, BaseChatModel/BaseLLM _streamIterator and _generateUncached,
 * BaseRetriever.invoke) are wrapped once to run inside a *run context*: an OpenTelemetry Context
 * that carries an empty, per-call cell and otherwise reads through to the context active at the
 * call. The start callback of our handler runs in that async context, finds the cell and fills
 * it with the phase it started (its span and its execution scope), so everything the body starts
 * afterwards — in the same call, at any depth of awaits — sees the phase as the active span and
 * as its execution scope. The handler empties the cell when the run ends. A cell belongs to one
 * run: a second start in the same call (a batched generate() of several prompts) cannot be told
 * apart and empties it for good. With no run started by our handler (another handler only, or
 * no context manager registered) the wrapper costs one small object per call and changes nothing.
 *
 * A wrapped method is wrapped once per module copy (marked with a global symbol), and a wrapper
 * never throws: if building the context fails, the original runs as it would have.
 */

/** A call's slot for the phase of the run LangChain starts inside it. */
export interface RunCell {
  /** The phase's context (its span and execution scope), while the run is timed. */
  ctx: Context | undefined;
  /** 'claimed' once a run filled it; 'poisoned' when a second run started in the same call. */
  state: 'empty' | 'claimed' | 'poisoned';
  readonly kind: RunKindForCell;
  /** The run that claimed it. */
  runId: string | undefined;
}

export type RunKindForCell = 'tool' | 'llm' | 'retriever';

// Global symbols: two copies of agent-timing (or of this module) share cells and wrappers.
const CELL_KEY = Symbol.for('agent-timing.langchain.run-cell');
const WRAPPED = Symbol.for('agent-timing.langchain.wrapped');
const DELETED = Symbol('deleted');
const log = componentLogger('langchain');

/** The context active in a call LangChain runs a body in: reads through to `base` unless the cell holds a phase. */
class RunContext implements Context {
  constructor(
    private readonly base: Context,
    readonly cell: RunCell,
  ) {}

  getValue(key: symbol): unknown {
    if (key === CELL_KEY) return this.cell;
    const phase = this.cell.ctx;
    if (phase !== undefined) {
      const v = phase.getValue(key);
      if (v !== undefined) return v;
    }
    return this.base.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return new Derived(this, new Map([[key, value]]));
  }

  deleteValue(key: symbol): Context {
    return new Derived(this, new Map<symbol, unknown>([[key, DELETED]]));
  }
}

/** A context derived from a RunContext (a span started inside the body): its own values win. One
 *  level deep whatever the nesting, like the API's own context (which copies its map). */
class Derived implements Context {
  constructor(
    private readonly root: RunContext,
    private readonly own: Map<symbol, unknown>,
  ) {}

  getValue(key: symbol): unknown {
    if (this.own.has(key)) {
      const v = this.own.get(key);
      return v === DELETED ? undefined : v;
    }
    return this.root.getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    const own = new Map(this.own);
    own.set(key, value);
    return new Derived(this.root, own);
  }

  deleteValue(key: symbol): Context {
    const own = new Map(this.own);
    own.set(key, DELETED);
    return new Derived(this.root, own);
  }
}

/**
 * The empty cell of the call the current async context runs in, for run `runId` of `kind`;
 * undefined when none. A second handler of ours on the same run finds it claimed and leaves it to
 * the first; a different run in the same call (a batch) poisons it.
 */
export function claimCell(kind: RunKindForCell, runId: string): RunCell | undefined {
  let cell: RunCell | undefined;
  try {
    cell = context.active().getValue(CELL_KEY) as RunCell | undefined;
  } catch {
    return undefined;
  }
  if (cell === undefined || cell.kind !== kind) return undefined;
  if (cell.state === 'empty') {
    cell.state = 'claimed';
    cell.runId = runId;
    return cell;
  }
  if (cell.state === 'claimed' && cell.runId !== runId) {
    // Two runs in one call: which body belongs to which cannot be told; leave both unparented.
    cell.state = 'poisoned';
    cell.ctx = undefined;
    log.debug('several LangChain runs started in one call (a batch); spans inside them keep the caller as parent');
  }
  return undefined;
}

/** The context a phase's body runs in: its span active, its execution scope current. */
export function phaseContext(collector: EnhancedExecutionTimingCollector, timer: PhaseTimer | undefined): Context {
  const iv = timer?.interval;
  const span = timer ? timer.span : collector.state.root.span;
  const scope: ExecutionScope = { owner: collector, state: collector.state, interval: iv };
  const withSpan = span ? trace.setSpan(ROOT_CONTEXT, span) : ROOT_CONTEXT;
  return withSpan.setValue(EXECUTION_SCOPE_KEY, scope);
}

/** Fills a claimed cell (no-op for a poisoned one). */
export function fillCell(cell: RunCell | undefined, ctx: Context): void {
  if (cell !== undefined && cell.state === 'claimed') cell.ctx = ctx;
}

/** Empties a cell when its run ends: later work in the call goes back to the caller's context. */
export function emptyCell(cell: RunCell | undefined): void {
  if (cell !== undefined) cell.ctx = undefined;
}

function runContext(kind: RunKindForCell): Context | undefined {
  try {
    return new RunContext(context.active(), { ctx: undefined, state: 'empty', kind, runId: undefined });
  } catch {
    return undefined;
  }
}

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

/** Wraps a method that returns a value or a promise: the whole call runs in a run context. */
function wrapCall(original: AnyFn, kind: RunKindForCell): AnyFn {
  return function wrapped(this: unknown, ...args: unknown[]): unknown {
    const ctx = runContext(kind);
    if (ctx === undefined) return original.apply(this, args);
    return context.with(ctx, original, this, ...args);
  };
}

/**
 * Wraps an async generator method: the body runs only when the generator is pulled, so every
 * next()/return()/throw() of the original runs in the call's run context (the consumer's code
 * between chunks does not).
 */
function wrapGenerator(original: AnyFn, kind: RunKindForCell): AnyFn {
  return async function* wrapped(this: unknown, ...args: unknown[]): AsyncGenerator<unknown, unknown, unknown> {
    const ctx = runContext(kind);
    const inner = original.apply(this, args) as AsyncGenerator<unknown, unknown, unknown>;
    if (ctx === undefined) return yield* inner;
    const step = (op: 'next' | 'return' | 'throw', v?: unknown): Promise<IteratorResult<unknown>> =>
      context.with(ctx, () => (inner[op] as (x?: unknown) => Promise<IteratorResult<unknown>>).call(inner, v));
    let finished = false;
    try {
      let r = await step('next');
      while (!r.done) {
        let sent: unknown;
        try {
          sent = yield r.value;
        } catch (err) {
          r = await step('throw', err);
          continue;
        }
        r = await step('next', sent);
      }
      finished = true;
      return r.value;
    } finally {
      // The consumer stopped early (break / return()): let the original clean up in its context.
      if (!finished) {
        try {
          await step('return');
        } catch {
          // the original's own clean-up error is not ours to raise on an early stop
        }
      }
    }
  };
}

interface Target {
  proto: object;
  method: string;
  kind: RunKindForCell;
  generator: boolean;
}

/** The classes whose methods are wrapped, as one copy of @langchain/core exports them. */
export interface CoreClasses {
  StructuredTool?: { prototype: object };
  BaseChatModel?: { prototype: object };
  BaseLLM?: { prototype: object };
  BaseRetriever?: { prototype: object };
}

function targets(c: CoreClasses): Target[] {
  const out: Target[] = [];
  const add = (cls: { prototype: object } | undefined, method: string, kind: RunKindForCell, generator: boolean): void => {
    const proto = typeof cls === 'function' ? (cls as { prototype?: unknown }).prototype : undefined;
    if (proto !== null && typeof proto === 'object') out.push({ proto, method, kind, generator });
  };
  add(c.StructuredTool, 'call', 'tool', false);
  add(c.BaseChatModel, '_generateUncached', 'llm', false);
  add(c.BaseChatModel, '_streamIterator', 'llm', true);
  add(c.BaseLLM, '_generateUncached', 'llm', false);
  add(c.BaseLLM, '_streamIterator', 'llm', true);
  add(c.BaseRetriever, 'invoke', 'retriever', false);
  return out;
}

function wrapAll(c: CoreClasses, copy: string): void {
  for (const t of targets(c)) {
    try {
      const own = Object.getOwnPropertyDescriptor(t.proto, t.method);
      const original = own?.value as unknown;
      if (typeof original !== 'function') {
        log.debug(`@langchain/core (${copy}) has no ${t.method}() where expected; spans inside its runs keep the caller as parent`);
        continue;
      }
      if ((original as { [WRAPPED]?: boolean })[WRAPPED]) continue;
      const fn = original as AnyFn;
      const wrapped = t.generator ? wrapGenerator(fn, t.kind) : wrapCall(fn, t.kind);
      Object.defineProperty(wrapped, WRAPPED, { value: true });
      Object.defineProperty(wrapped, 'name', { value: fn.name });
      Object.defineProperty(t.proto, t.method, { ...own, value: wrapped });
    } catch (err) {
      log.debug(`could not wrap ${t.method}() of @langchain/core (${copy}): ${String(err)}`);
    }
  }
}

/** The CommonJS modules defining the wrapped classes, and the export each is read from. */
const CJS_MODULES: ReadonlyArray<[specifier: string, exportName: keyof CoreClasses]> = [
  ['@langchain/core/tools', 'StructuredTool'],
  ['@langchain/core/language_models/chat_models', 'BaseChatModel'],
  ['@langchain/core/language_models/llms', 'BaseLLM'],
  ['@langchain/core/retrievers', 'BaseRetriever'],
];
let installed = false;

/**
 * Wraps LangChain's run-body methods (see the module comment) in the CommonJS copy of
 * @langchain/core, once, when the first handler is made — not when agent-timing/langchain is
 * imported: loading @langchain/core/tools (it loads zod) can take a few hundred ms, which an
 * application that imports the entry but never makes a handler should not pay; an application
 * running agents has loaded these modules already. An ES-module application imports another copy
 * (Node loads the two formats separately): the package's ES-module entry (dist/esm/langchain.mjs,
 * written by scripts/build.mjs) imports that copy's classes and hands them to wrapCoreClasses().
 * A module or method that is missing (another @langchain/core version) is skipped with a debug
 * message: its runs are still timed, only spans inside them keep the caller as parent.
 */
export function installRunContext(): void {
  if (installed) return;
  installed = true;
  for (const [specifier, exportName] of CJS_MODULES) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(specifier) as Record<string, unknown>;
      wrapCoreClasses({ [exportName]: mod[exportName] } as CoreClasses, 'CommonJS');
    } catch (err) {
      log.debug(`could not wrap ${specifier}: ${String(err)}`);
    }
  }
}

/** Wraps the run-body methods of one copy of @langchain/core (idempotent per copy). Never throws. */
export function wrapCoreClasses(classes: CoreClasses, copy: string): void {
  try {
    wrapAll(classes, copy);
  } catch (err) {
    log.debug(`could not wrap @langchain/core (${copy}): ${String(err)}`);
  }
}
