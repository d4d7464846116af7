import { setTimeout as sleep } from 'node:timers/promises';
import {
  BaseAgent,
  currentCollector,
  instrumentStream,
  MetricType,
  phase,
  type EnhancedExecutionTimingCollector,
  type ExecutionContext,
} from 'agent-timing';
import type { QueryName } from './database';
import type { ConcurrencyLimiter } from './limiter';
import { streamCompletion, type CompletionPlan } from './llm-simulator';
import type { RequestPlan, ToolCall } from './scenario';
import { LATENCY_HEADER, type Services } from './services';

/**
 * The agent under observation: a customer-support supervisor. Each execute() is one user request,
 * timed end to end by BaseAgent. Note what is not here: no start/stop bookkeeping, no span code.
 * Phases are `phase(name, fn, { category })`, LLM streams go through instrumentStream(), and the
 * fetch() calls are seen by the undici instrumentation that startAgentTelemetry() enables.
 */

export const AGENT_NAME = 'support_supervisor';

export class SupportSupervisor extends BaseAgent {
  /** Each run's collector, by run id, for the driver to read once the run completed. */
  readonly collectors = new Map<string, EnhancedExecutionTimingCollector>();

  constructor(
    private readonly services: Services,
    private readonly limiter: ConcurrencyLimiter,
  ) {
    super({ name: AGENT_NAME });
  }

  async execute(ctx: ExecutionContext): Promise<{ success: boolean; data: string }> {
    this.collectors.set(ctx.runId, this.timingCollector!); // this execution's, made by BaseAgent
    const req = ctx.state as RequestPlan;
    await phase('queue_wait', () => this.limiter.acquire());
    try {
      return await this.serve(req);
    } finally {
      this.limiter.release();
    }
  }

  private async serve(req: RequestPlan): Promise<{ success: boolean; data: string }> {
    const customerId = await phase('initialization', async () => {
      const [session] = await this.query<{ customer_id: number }>('load_session', [req.userId]);
      await sleep(req.initMs); // prompt assembly, tool registry: stands in for work this demo does not do
      return session?.customer_id ?? 1;
    });
    await this.notify('accepted', req, 0);
    await this.llm('plan', req.plan); // streamed to the user, so its first token is the TTFT
    await Promise.all(req.tools.map((call) => this.tool(call, req, customerId))); // in parallel: wall-clock time counts once
    await this.notify('tools_done', req, 1);
    const answer = await this.llm('answer', req.answer);
    await this.query('save_conversation', [req.runId, req.userId, req.question, answer]);
    await this.notify('answered', req, 2);
    return { success: true, data: answer };
  }

  /** A streamed completion: instrumentStream() makes it an llm_processing phase and records TTFT. */
  private async llm(name: string, completion: CompletionPlan): Promise<string> {
    let text = '';
    for await (const token of instrumentStream(streamCompletion(completion), { name, providerName: 'simulated', requestModel: 'demo-llm' })) {
      text += token;
    }
    return text;
  }

  private tool(call: ToolCall, req: RequestPlan, customerId: number): Promise<unknown> {
    const run = async (): Promise<unknown> => {
      switch (call.tool) {
        case 'search_docs':
          return this.fetchJson(`/v1/search?q=${encodeURIComponent(req.question)}`, call.upstreamMs);
        case 'pricing_api':
          return this.fetchJson('/v1/pricing?plan=enterprise', call.upstreamMs);
        case 'order_lookup': {
          const orders = await this.query('recent_orders', [customerId]);
          // The planted slow query: refund history, which nothing indexes.
          if (req.incident === 'slow_query') await this.query('refund_search', ['refund requested']);
          return orders;
        }
      }
    };
    return phase(call.tool, run, { category: 'tool_execution', toolName: call.tool });
  }

  /** A real HTTP call to the loopback upstream: no phase, the undici span is filed under external_api. */
  private async fetchJson(path: string, latencyMs: number): Promise<unknown> {
    const res = await fetch(`${this.services.apiUrl}${path}`, { headers: { [LATENCY_HEADER]: latencyMs.toFixed(1) } });
    if (!res.ok) throw new Error(`upstream ${path} answered ${res.status}`);
    return res.json();
  }

  /** A real Postgres query as a database_query phase, also a per-query metric (the SLO is per query). */
  private async query<T = Record<string, unknown>>(name: QueryName, params: unknown[]): Promise<T[]> {
    const started = performance.now();
    const rows = await phase(name, () => this.services.db.query<T>(name, params), {
      category: 'database_query',
      'db.system.name': 'postgresql',
      'db.operation.name': name === 'save_conversation' ? 'INSERT' : 'SELECT',
    });
    currentCollector()?.addMetric(MetricType.DATABASE_QUERY, performance.now() - started, { query: name });
    return rows;
  }

  /** A notification to the user's open sessions through the WebSocket hub, timed until acknowledged. */
  private async notify(event: string, req: RequestPlan, which: 0 | 1 | 2): Promise<void> {
    const started = performance.now();
    await phase(`notify_${event}`, () => this.services.notifier.notify(event, req.runId, req.fanoutMs[which]), {
      category: 'websocket_notification',
      event,
    });
    currentCollector()?.addMetric(MetricType.WEBSOCKET_LATENCY, performance.now() - started, { event });
  }
}
