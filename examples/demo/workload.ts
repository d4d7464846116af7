import { SupportSupervisor } from './agent';
import { ConcurrencyLimiter } from './limiter';
import type { RequestPlan } from './scenario';
import type { CriticalPathEntry, TimingBreakdownData } from 'agent-timing';
import type { Services } from './services';
import type { WaterfallRecorder, WaterfallRow } from './waterfall';

/** One completed request: what the SDK measured, and its spans as a waterfall. */
export interface ExecutionRecord {
  plan: RequestPlan;
  /** When the execution started, ms after the run started. */
  startOffsetMs: number;
  breakdown: TimingBreakdownData;
  criticalPath: CriticalPathEntry[];
  waterfall: WaterfallRow[];
  error?: string;
}

export interface WorkloadProgress {
  done: number;
  total: number;
  inFlight: number;
  queued: number;
}

export interface WorkloadOptions {
  plans: RequestPlan[];
  concurrency: number;
  services: Services;
  /** The span processor given to startAgentTelemetry(), holding each execution's spans. */
  spans: WaterfallRecorder;
  /** Called after each completed execution. */
  onProgress?: (p: WorkloadProgress, last: ExecutionRecord) => void;
}

/**
 * Serves the planned requests: each arrives at its planned time and becomes one execution of the
 * supervisor agent, which first waits for one of `concurrency` slots.
 */
export async function runWorkload(o: WorkloadOptions): Promise<ExecutionRecord[]> {
  const limiter = new ConcurrencyLimiter(o.concurrency);
  const agent = new SupportSupervisor(o.services, limiter);
  const records: ExecutionRecord[] = [];
  const t0 = performance.now();

  const serve = async (plan: RequestPlan): Promise<void> => {
    const startOffsetMs = performance.now() - t0;
    let error: string | undefined;
    try {
      await agent.execute({ runId: plan.runId, agentName: agent.name, userId: plan.userId, state: plan });
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const collector = agent.collectors.get(plan.runId)!;
    agent.collectors.delete(plan.runId);
    const breakdown = collector.getBreakdown().toJSON(); // final: BaseAgent completed it
    const criticalPath = collector.getCriticalPath();
    const waterfall = o.spans.take(breakdown.executionId, criticalPath);
    const rec: ExecutionRecord = { plan, startOffsetMs, breakdown, criticalPath, waterfall };
    if (error) rec.error = error;
    records.push(rec);
    o.onProgress?.({ done: records.length, total: o.plans.length, inFlight: limiter.inFlight, queued: limiter.queued }, rec);
  };

  await Promise.all(
    o.plans.map(
      (plan) =>
        new Promise<void>((resolve, reject) => {
          setTimeout(() => void serve(plan).then(resolve, reject), plan.arrivalMs);
        }),
    ),
  );
  return records.sort((a, b) => a.plan.index - b.plan.index);
}
