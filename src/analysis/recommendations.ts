import { categoryFromName, type BreakdownCategory } from '../breakdown/categories';
import type { TimingBreakdownData } from '../breakdown/timing-breakdown';
import { finite, type CategoryShare } from './breakdown-shares';

/**
 * When a category is dominant enough to earn a recommendation: its share of totalMs, in percent
 * (TTFT: absolute ms). The defaults flag what usually pays off first; tune them per workload.
 */
export interface RecommendationThresholds {
  /** LLM processing share. Default 50 %. */
  llmProcessingPercent: number;
  /** Queue wait share. Default 10 % (queue time is pure waiting). */
  queueWaitPercent: number;
  /** Database query share. Default 20 %. */
  databaseQueryPercent: number;
  /** External API share. Default 25 %. */
  externalApiPercent: number;
  /** Tool execution share. Default 30 %. */
  toolExecutionPercent: number;
  /** Initialization share. Default 15 %. */
  initializationPercent: number;
  /** WebSocket notification share. Default 10 %. */
  websocketNotificationPercent: number;
  /** Overhead (time no phase covers) share. Default 15 %. */
  overheadPercent: number;
  /** Uncategorized (phases without a category) share. Default 15 %. */
  uncategorizedPercent: number;
  /** Time to first token, ms. Default 1000 (the guide's TTFT objective). */
  ttftMs: number;
  /** Executions shorter than this (ms) get no recommendations: shares of a few ms are noise. Default 10. */
  minTotalMs: number;
}

export const DEFAULT_RECOMMENDATION_THRESHOLDS: Readonly<RecommendationThresholds> = Object.freeze({
  llmProcessingPercent: 50,
  queueWaitPercent: 10,
  databaseQueryPercent: 20,
  externalApiPercent: 25,
  toolExecutionPercent: 30,
  initializationPercent: 15,
  websocketNotificationPercent: 10,
  overheadPercent: 15,
  uncategorizedPercent: 15,
  ttftMs: 1000,
  minTotalMs: 10,
});

type Advice = (s: CategoryShare, total: string, b: Partial<TimingBreakdownData>) => string;

/** Per category: which threshold applies and the advice, with the numbers in the sentence. */
const RULES: Record<BreakdownCategory, { threshold: keyof RecommendationThresholds; advice: Advice }> = {
  llm_processing: {
    threshold: 'llmProcessingPercent',
    advice: (s, total) =>
      `LLM processing took ${ms(s.ms)} ms (${pct(s.percent)} of the ${total} ms execution): stream the response so users see tokens before it completes, enable prompt caching for the repeated prefix (system prompt, tool schemas, shared context), and route steps that do not need the largest model to a smaller, faster one.`,
  },
  queue_wait: {
    threshold: 'queueWaitPercent',
    advice: (s) =>
      `Work waited ${ms(s.ms)} ms in queues (${pct(s.percent)}) before running: raise the concurrency limit or add workers for this agent, or prioritise interactive work at admission — queue time is pure waiting and lowers the efficiency score directly.`,
  },
  database_query: {
    threshold: 'databaseQueryPercent',
    advice: (s) =>
      `Database queries took ${ms(s.ms)} ms (${pct(s.percent)}): look for missing indexes in the slow queries' plans (EXPLAIN), batch per-item lookups into one query, and reuse connections from a pool instead of opening them per execution.`,
  },
  external_api: {
    threshold: 'externalApiPercent',
    advice: (s) =>
      `External API calls took ${ms(s.ms)} ms (${pct(s.percent)}): issue independent calls in parallel, cache responses that do not change per request, and set per-call timeouts so one slow dependency cannot stall the execution.`,
  },
  tool_execution: {
    threshold: 'toolExecutionPercent',
    advice: (s) =>
      `Tool execution took ${ms(s.ms)} ms (${pct(s.percent)}): let the model request independent tools in one turn (parallel tool calls) and run them concurrently, and cache the results of deterministic tools.`,
  },
  initialization: {
    threshold: 'initializationPercent',
    advice: (s) =>
      `Initialization took ${ms(s.ms)} ms (${pct(s.percent)}): create clients, connection pools and loaded prompts or models once per process and reuse them (warm pools) instead of per execution.`,
  },
  websocket_notification: {
    threshold: 'websocketNotificationPercent',
    advice: (s) =>
      `WebSocket notifications took ${ms(s.ms)} ms (${pct(s.percent)}): send them without awaiting delivery on the execution's critical path, or batch several updates per message.`,
  },
  overhead: {
    threshold: 'overheadPercent',
    advice: (s) =>
      `${ms(s.ms)} ms (${pct(s.percent)}) of the execution is covered by no phase or span: wrap the uncovered code in phases (collector.measure() or phase()) to see where it goes, and cut framework overhead between steps.`,
  },
  uncategorized: {
    threshold: 'uncategorizedPercent',
    advice: (s, _total, b) =>
      `${ms(s.ms)} ms (${pct(s.percent)}) ran in phases without a category${uncategorizedNames(b)}: give them one (metadata.category, e.g. 'database_query') so their time is attributed and analysed.`,
  },
};

/**
 * Specific, actionable sentences for the categories above their thresholds, largest time first;
 * plus one for a slow first token. Nothing generic: an execution with no dominant category gets
 * no recommendations.
 */
export function recommend(
  b: Partial<TimingBreakdownData>,
  shares: readonly CategoryShare[],
  thresholds: RecommendationThresholds = DEFAULT_RECOMMENDATION_THRESHOLDS,
): string[] {
  const totalMs = finite(b.totalMs);
  if (totalMs < thresholds.minTotalMs) return [];
  const total = ms(totalMs);
  const found: { weight: number; text: string }[] = [];
  for (const s of shares) {
    const rule = RULES[s.category];
    if (s.percent >= thresholds[rule.threshold]) found.push({ weight: s.ms, text: rule.advice(s, total, b) });
  }
  const ttft = finite(b.ttftMs);
  if (ttft >= thresholds.ttftMs) {
    found.push({
      weight: ttft,
      text: `The first token arrived after ${ms(ttft)} ms (${pct((100 * ttft) / totalMs)} into the ${total} ms execution): stream the response, shorten the prompt (fewer retrieved documents, trimmed history), and start the LLM call before work it does not depend on.`,
    });
  }
  return found.sort((a, b) => b.weight - a.weight).map((f) => f.text);
}

/** " (a 120 ms, b 80 ms)": the largest phases whose names are not category names, if any. */
function uncategorizedNames(b: Partial<TimingBreakdownData>): string {
  const phases = b.phases && typeof b.phases === 'object' ? Object.entries(b.phases) : [];
  const named = phases
    .filter(([name, d]) => categoryFromName(name) === undefined && finite(d) > 0)
    .sort((x, y) => y[1] - x[1])
    .slice(0, 3);
  return named.length === 0 ? '' : ` (largest: ${named.map(([n, d]) => `${n} ${ms(d)} ms`).join(', ')})`;
}

/** Milliseconds for a sentence: whole above 100, else one decimal (trailing .0 dropped). */
export function ms(v: number): string {
  return v >= 100 ? String(Math.round(v)) : String(Number(v.toFixed(1)));
}

function pct(v: number): string {
  return `${Number(v.toFixed(1))}%`;
}
