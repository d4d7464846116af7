import { SpanKind, type Attributes } from '@opentelemetry/api';
import { PHASE_CATEGORIES, type PhaseCategory } from '../breakdown/categories';

/**
 * What a classification row assigns: a breakdown category, or `transparent` (the span takes no
 * time of its own; time covered only by transparent spans is framework time, see the README).
 */
export type SpanClassification = PhaseCategory | 'transparent';

/**
 * One row of the span classification table: a match on one attribute (or on the span name) and
 * the category a matching span gets. Rows are tried in order; the first row that matches decides,
 * including a `transparent` row (which stops a wrapper span from matching a later, vaguer row).
 */
export interface ClassificationRule {
  /** The attribute to read. Give either this or `spanName`. With none of equals / prefix / suffix,
   *  the row matches when the attribute is present (any value). */
  attribute?: string;
  /** Match on the span name instead of an attribute. */
  spanName?: true;
  /** Matches when the value equals this string (or one of these strings). */
  equals?: string | readonly string[];
  /** Matches when the (string) value starts with this. */
  prefix?: string;
  /** Matches when the (string) value ends with this. */
  suffix?: string;
  /** Only spans of this kind match. Default: any kind. */
  spanKind?: SpanKind;
  /** The category of a matching span. */
  category: SpanClassification;
  /** Where the row comes from (the convention or instrumentation), for docs and diagnostics. */
  source?: string;
}

const GENAI = 'OpenTelemetry GenAI semantic conventions';
const AI_SDK_6 = 'Vercel AI SDK 6 (`experimental_telemetry`)';
const OPENINFERENCE = 'OpenInference';
const TRACELOOP = 'Traceloop / OpenLLMetry';
const MCP = 'OpenTelemetry MCP semantic conventions';

/**
 * The built-in table, in priority order. Framework-specific attributes come first (they say what
 * a span is more precisely than the transport attributes the same span may also carry: an LLM
 * client span often has HTTP attributes too), then GenAI, then database, messaging, RPC and HTTP.
 * docs/frameworks.md renders this table; a test checks they agree.
 */
export const DEFAULT_CLASSIFICATION_RULES: readonly ClassificationRule[] = Object.freeze([
  // OpenInference (Arize): one attribute names what every span is.
  { attribute: 'openinference.span.kind', equals: ['LLM', 'EMBEDDING', 'RERANKER'], category: 'llm_processing', source: OPENINFERENCE },
  { attribute: 'openinference.span.kind', equals: 'TOOL', category: 'tool_execution', source: OPENINFERENCE },
  { attribute: 'openinference.span.kind', equals: 'RETRIEVER', category: 'database_query', source: OPENINFERENCE },
  { attribute: 'openinference.span.kind', equals: ['CHAIN', 'AGENT', 'GUARDRAIL', 'EVALUATOR'], category: 'transparent', source: OPENINFERENCE },
  // Traceloop / OpenLLMetry: workflow structure; its LLM spans carry gen_ai.* attributes (below).
  { attribute: 'traceloop.span.kind', equals: 'tool', category: 'tool_execution', source: TRACELOOP },
  { attribute: 'traceloop.span.kind', equals: ['workflow', 'task', 'agent'], category: 'transparent', source: TRACELOOP },
  // GenAI conventions (also AI SDK 7's @ai-sdk/otel and @opentelemetry/instrumentation-openai).
  {
    attribute: 'gen_ai.operation.name',
    equals: ['chat', 'text_completion', 'generate_content', 'embeddings', 'rerank'],
    category: 'llm_processing',
    source: GENAI,
  },
  { attribute: 'gen_ai.operation.name', equals: 'execute_tool', category: 'tool_execution', source: GENAI },
  { attribute: 'gen_ai.operation.name', equals: 'retrieval', category: 'database_query', source: GENAI },
  {
    attribute: 'gen_ai.operation.name',
    equals: ['invoke_agent', 'create_agent', 'invoke_workflow', 'agent_step'],
    category: 'transparent',
    source: GENAI,
  },
  // Vercel AI SDK 6: no gen_ai.operation.name; ai.operationId says what the span is.
  { attribute: 'ai.operationId', suffix: '.doStream', category: 'llm_processing', source: AI_SDK_6 },
  { attribute: 'ai.operationId', suffix: '.doGenerate', category: 'llm_processing', source: AI_SDK_6 },
  { attribute: 'ai.operationId', prefix: 'ai.embed', category: 'llm_processing', source: AI_SDK_6 },
  { attribute: 'ai.operationId', equals: 'ai.rerank', category: 'llm_processing', source: AI_SDK_6 },
  { attribute: 'ai.operationId', equals: 'ai.toolCall', category: 'tool_execution', source: AI_SDK_6 },
  { attribute: 'ai.operationId', prefix: 'ai.', category: 'transparent', source: AI_SDK_6 },
  // Model Context Protocol: a tool call, on the client or the server side.
  { attribute: 'mcp.method.name', equals: 'tools/call', category: 'tool_execution', source: MCP },
  { spanName: true, prefix: 'tools/call', category: 'tool_execution', source: MCP },
  // An LLM call that names its provider but not its operation (older GenAI instrumentations).
  { attribute: 'gen_ai.provider.name', category: 'llm_processing', source: GENAI },
  { attribute: 'gen_ai.system', category: 'llm_processing', source: GENAI },
  // Waiting for a pooled connection is queueing, not database work (it carries db.* too).
  { spanName: true, equals: 'pg-pool.connect', category: 'queue_wait', source: '@opentelemetry/instrumentation-pg' },
  { spanName: true, equals: ['generic-pool.acquire', 'generic-pool.aquire'], category: 'queue_wait', source: '@opentelemetry/instrumentation-generic-pool' },
  // Databases, messaging, RPC and HTTP clients.
  { attribute: 'db.system.name', category: 'database_query', source: 'OpenTelemetry database semantic conventions' },
  { attribute: 'db.system', category: 'database_query', source: 'OpenTelemetry database semantic conventions (before 1.26)' },
  { attribute: 'messaging.system', category: 'queue_wait', source: 'OpenTelemetry messaging semantic conventions' },
  { attribute: 'rpc.system.name', spanKind: SpanKind.CLIENT, category: 'external_api', source: 'OpenTelemetry RPC semantic conventions' },
  { attribute: 'rpc.system', spanKind: SpanKind.CLIENT, category: 'external_api', source: 'OpenTelemetry RPC semantic conventions (before 1.37)' },
  { attribute: 'http.request.method', spanKind: SpanKind.CLIENT, category: 'external_api', source: 'OpenTelemetry HTTP semantic conventions' },
  { attribute: 'http.method', spanKind: SpanKind.CLIENT, category: 'external_api', source: 'OpenTelemetry HTTP semantic conventions (before 1.21)' },
] satisfies ClassificationRule[]);

/** Result codes of a compiled step: a category, TRANSPARENT, or NO_MATCH (try the next step). */
const TRANSPARENT = 0;
const NO_MATCH = undefined;
type StepResult = PhaseCategory | typeof TRANSPARENT | typeof NO_MATCH;

/**
 * Consecutive rows on the same attribute (and span kind) compiled into one step: an exact-value
 * map, then prefix/suffix tests, then a presence fallback. So a span costs one property read per
 * distinct attribute of the table (about fifteen), whatever the number of rows.
 */
interface Step {
  readonly key: string | undefined; // undefined: the span name
  readonly kind: SpanKind | undefined;
  readonly exact: Map<string, StepResult>;
  readonly partial: { prefix?: string; suffix?: string; result: StepResult }[];
  present: StepResult;
  /** Whether a row of this step has already matched on presence (later rows can never match). */
  closed: boolean;
}

/** A compiled classification table. */
export class SpanClassifier {
  private readonly steps: readonly Step[];

  /** Compiles `rules` (tried first, in order) followed by the built-in table. Throws on a bad row. */
  constructor(rules: readonly ClassificationRule[] = [], includeDefaults = true) {
    if (!Array.isArray(rules)) throw new TypeError('agent-timing: classificationRules must be an array of rules');
    const all = includeDefaults ? [...rules, ...DEFAULT_CLASSIFICATION_RULES] : [...rules];
    all.forEach((r, i) => validateRule(r, i, i < rules.length));
    this.steps = compile(all);
  }

  /** The category of a span, or undefined when it is transparent (no row, or a transparent row). */
  classify(name: string, kind: SpanKind, attributes: Attributes): PhaseCategory | undefined {
    const steps = this.steps;
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      if (s.kind !== undefined && s.kind !== kind) continue;
      const v = s.key === undefined ? name : attributes[s.key];
      if (v === undefined || v === null) continue;
      let r: StepResult = NO_MATCH;
      if (typeof v === 'string') {
        r = s.exact.get(v);
        if (r === NO_MATCH) {
          const partial = s.partial;
          for (let k = 0; k < partial.length; k++) {
            const p = partial[k];
            if ((p.prefix === undefined || v.startsWith(p.prefix)) && (p.suffix === undefined || v.endsWith(p.suffix))) {
              r = p.result;
              break;
            }
          }
        }
      }
      if (r === NO_MATCH) r = s.present;
      if (r !== NO_MATCH) return r === TRANSPARENT ? undefined : r;
    }
    return undefined;
  }
}

function compile(rules: readonly ClassificationRule[]): Step[] {
  const steps: Step[] = [];
  for (const r of rules) {
    const key = r.spanName ? undefined : r.attribute;
    const result: StepResult = r.category === 'transparent' ? TRANSPARENT : r.category;
    let step = steps[steps.length - 1];
    if (!step || step.key !== key || step.kind !== r.spanKind) {
      step = { key, kind: r.spanKind, exact: new Map(), partial: [], present: NO_MATCH, closed: false };
      steps.push(step);
    }
    // A row after a presence row of the same step can never match: start a new step so order holds.
    if (step.closed) {
      step = { key, kind: r.spanKind, exact: new Map(), partial: [], present: NO_MATCH, closed: false };
      steps.push(step);
    }
    const equals = r.equals === undefined ? [] : typeof r.equals === 'string' ? [r.equals] : r.equals;
    if (equals.length > 0) {
      // An exact value already matched by an earlier prefix/suffix row of this step keeps that row's
      // result: a new step keeps the rows' order.
      if (step.partial.length > 0) {
        step = { key, kind: r.spanKind, exact: new Map(), partial: [], present: NO_MATCH, closed: false };
        steps.push(step);
      }
      for (const v of equals) if (!step.exact.has(v)) step.exact.set(v, result);
    } else if (r.prefix !== undefined || r.suffix !== undefined) {
      step.partial.push({ prefix: r.prefix, suffix: r.suffix, result });
    } else {
      step.present = result;
      step.closed = true;
    }
  }
  return steps;
}

const VALID = new Set<string>([...PHASE_CATEGORIES, 'transparent']);

function validateRule(rule: unknown, index: number, user: boolean): void {
  const where = user ? `classificationRules[${index}]` : `built-in classification row ${index}`;
  if (rule === null || typeof rule !== 'object') throw new TypeError(`agent-timing: ${where} must be an object like { attribute, equals, category }`);
  const r = rule as ClassificationRule;
  const hasAttr = typeof r.attribute === 'string' && r.attribute.length > 0;
  if (hasAttr === (r.spanName === true)) {
    throw new TypeError(`agent-timing: ${where} must have either a non-empty attribute or spanName: true (not both)`);
  }
  if (typeof r.category !== 'string' || !VALID.has(r.category)) {
    throw new TypeError(`agent-timing: ${where}.category must be one of ${[...VALID].join(', ')}; got ${String(r.category)}`);
  }
  if (r.equals !== undefined) {
    const list = typeof r.equals === 'string' ? [r.equals] : r.equals;
    if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string')) {
      throw new TypeError(`agent-timing: ${where}.equals must be a string or a non-empty array of strings`);
    }
    if (r.prefix !== undefined || r.suffix !== undefined) throw new TypeError(`agent-timing: ${where} takes equals or prefix/suffix, not both`);
  }
  for (const k of ['prefix', 'suffix'] as const) {
    if (r[k] !== undefined && (typeof r[k] !== 'string' || r[k] === '')) throw new TypeError(`agent-timing: ${where}.${k} must be a non-empty string`);
  }
  if (r.spanName === true && r.equals === undefined && r.prefix === undefined && r.suffix === undefined) {
    throw new TypeError(`agent-timing: ${where} matches every span name; give equals, prefix or suffix`);
  }
  if (r.spanKind !== undefined && (typeof r.spanKind !== 'number' || SpanKind[r.spanKind] === undefined)) {
    throw new TypeError(`agent-timing: ${where}.spanKind must be a SpanKind value`);
  }
  if (r.source !== undefined && typeof r.source !== 'string') throw new TypeError(`agent-timing: ${where}.source must be a string`);
}

/** The classifier with the built-in table only (shared: processors without rules of their own). */
export const defaultClassifier = new SpanClassifier();
