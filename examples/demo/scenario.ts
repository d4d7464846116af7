import { ANSWER, PLANNING, planCompletion, type CompletionPlan } from './llm-simulator';
import { Rng } from './rng';

/**
 * The seeded script of a demo run: when each user request arrives and what it will meet on the
 * way (LLM timings, upstream latencies, which tools it calls, which incident hits it). Wall-clock
 * timings are real; the seed fixes everything the demo decides.
 */

/** A slow outlier planted on purpose, so anomalies and bottlenecks have something to find. */
export type Incident = 'llm_stall' | 'upstream_timeout' | 'slow_query' | 'notifier_backlog';

export const INCIDENT_LABEL: Record<Incident, string> = {
  llm_stall: 'LLM provider stalled before the first token',
  upstream_timeout: 'search upstream took ~1.8 s',
  slow_query: 'full-text search without an index',
  notifier_backlog: 'notification hub backlog',
};

export type ToolName = 'search_docs' | 'order_lookup' | 'pricing_api';

export interface ToolCall {
  tool: ToolName;
  /** Latency the loopback upstream is asked to have (HTTP tools), ms. */
  upstreamMs: number;
}

export interface RequestPlan {
  index: number;
  runId: string;
  userId: string;
  question: string;
  /** When the request arrives, ms after the run starts. */
  arrivalMs: number;
  /** Prompt assembly and tool-schema loading, ms (besides the session query). */
  initMs: number;
  plan: CompletionPlan;
  /** Tool calls run in parallel. */
  tools: ToolCall[];
  answer: CompletionPlan;
  /** Fan-out delay of each notification at the hub, ms. */
  fanoutMs: [number, number, number];
  incident?: Incident;
}

const QUESTIONS = [
  'Where is my order?',
  'Can I still change the delivery address?',
  'Why was I charged twice?',
  'Which plan includes priority support?',
  'How do I return a damaged item?',
  'Is the blue model back in stock?',
  'Can you summarise my last three orders?',
  'What does the enterprise tier cost per seat?',
];

const PLAN_TEXT = 'I will check your recent orders, search the help centre and look up current pricing. ';
const ANSWER_TEXT =
  'Your order shipped yesterday and should arrive on Thursday. I have attached the tracking link, and the ' +
  'return window stays open for thirty days after delivery, so there is no rush. Anything else I can help with? ';

/** Service time of an average request at this scale, ms: sets the arrival rate so the run stays busy. */
export const TYPICAL_SERVICE_MS = 800;

/** Incidents planted per run: a few percent, at least one of each kind. */
function incidentSlots(rng: Rng, requests: number): Map<number, Incident> {
  const kinds: Incident[] = ['llm_stall', 'upstream_timeout', 'slow_query', 'notifier_backlog'];
  const count = Math.min(requests, Math.max(kinds.length, Math.round(requests * 0.025)));
  const slots = new Map<number, Incident>();
  let k = 0;
  while (slots.size < count) {
    const at = rng.int(Math.floor(requests * 0.1), requests - 1);
    if (!slots.has(at)) slots.set(at, kinds[k++ % kinds.length]);
  }
  return slots;
}

/**
 * Plans `requests` requests for `concurrency` workers. Arrivals are a Poisson process at ~80 % of
 * capacity, plus one burst of concurrency + 2 requests a third of the way in (that is what fills
 * the queue), and the LLM provider slows down by a third for the last 40 % (what the trends see).
 */
export function planRun(seed: number, requests: number, concurrency: number): RequestPlan[] {
  const rng = new Rng(seed, 'arrivals');
  const incidents = incidentSlots(new Rng(seed, 'incidents'), requests);
  const meanGap = TYPICAL_SERVICE_MS / (concurrency * 0.8);
  const burstAt = Math.floor(requests / 3);
  const burstEnd = burstAt + concurrency + 2;
  const plans: RequestPlan[] = [];
  let t = 0;
  for (let i = 0; i < requests; i++) {
    const r = new Rng(seed, `request-${i}`);
    t += i >= burstAt && i < burstEnd ? r.uniform() * 12 : rng.exponential(meanGap);
    const incident = incidents.get(i);
    const providerLoad = i >= requests * 0.6 ? 1.35 : 1;
    const tools: ToolCall[] = [];
    if (r.chance(0.8)) tools.push({ tool: 'search_docs', upstreamMs: r.logNormal(70, 0.45) });
    if (r.chance(0.6) || incident === 'slow_query') tools.push({ tool: 'order_lookup', upstreamMs: 0 });
    if (r.chance(0.5) || tools.length === 0) tools.push({ tool: 'pricing_api', upstreamMs: r.logNormal(45, 0.5) });
    if (incident === 'upstream_timeout') {
      const search = tools.find((c) => c.tool === 'search_docs');
      if (search) search.upstreamMs = 1800;
      else tools.unshift({ tool: 'search_docs', upstreamMs: 1800 });
    }
    const fanout = (): number => r.logNormal(2, 0.6);
    const plan: RequestPlan = {
      index: i,
      runId: `run-${seed}-${String(i + 1).padStart(4, '0')}`,
      userId: `user-${1 + r.int(0, 63)}`,
      question: r.pick(QUESTIONS),
      arrivalMs: t,
      initMs: r.logNormal(16, 0.4),
      plan: planCompletion(r, PLANNING, PLAN_TEXT, providerLoad * (incident === 'llm_stall' ? 7 : 1)),
      tools,
      answer: planCompletion(r, ANSWER, ANSWER_TEXT, providerLoad),
      fanoutMs: [fanout(), fanout(), incident === 'notifier_backlog' ? 450 : fanout()],
    };
    if (incident) plan.incident = incident;
    plans.push(plan);
  }
  return plans;
}
