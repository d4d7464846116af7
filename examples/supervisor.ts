// The guide's "Supervisor Integration" in TypeScript, with three workflow runs at once.
// Run: npx tsx examples/supervisor.ts
// (Inside this repository the package is imported from ../src; in your project: from 'agent-timing'.)
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { AggregationWindow, MetricType, MetricsAggregator, SupervisorObservability, type ExecutionContext } from '../src';

const aggregator = new MetricsAggregator();
// Create observability instance (without `aggregator` it feeds the global one)
const observability = new SupervisorObservability({ aggregator });

async function workflow(user: string, toolMs: number, llmMs: number, fail = false): Promise<void> {
  // Create execution context
  const context: ExecutionContext = { runId: randomUUID(), agentName: 'supervisor', state: { messages: [] }, userId: user };
  // Start workflow with timing
  observability.startWorkflowTrace(context);
  // Track phases
  observability.startPhase(context.runId, 'tool_execution');
  await sleep(toolMs); // ... execute tools ...
  observability.stopPhase(context.runId, 'tool_execution');
  observability.startPhase(context.runId, 'llm_processing');
  await sleep(llmMs / 3);
  // Record TTFT
  observability.recordFirstToken(context.runId);
  await sleep((2 * llmMs) / 3);
  observability.stopPhase(context.runId, 'llm_processing');
  // Get timing breakdown (mid-run)
  const soFar = observability.getTimingBreakdown(context.runId)!;
  // Complete workflow
  const result = fail ? { success: false, error: new Error('upstream timeout') } : { success: true, data: { result: 'data' } };
  const b = observability.completeWorkflowTrace(context, result)!;
  console.log(
    `run for ${user}: ${b.outcome}, total ${b.totalMs.toFixed(1)} ms ` +
      `(tools ${b.toolExecutionMs.toFixed(1)} ms, LLM ${b.llmProcessingMs.toFixed(1)} ms, overhead ${b.overheadMs.toFixed(1)} ms), ` +
      `TTFT ${b.ttftMs!.toFixed(1)} ms, mid-run total was ${soFar.totalMs.toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  await Promise.all([workflow('alice', 30, 60), workflow('bob', 50, 30), workflow('carol', 20, 45, true)]);

  observability.recordResourceMetrics({
    cpuPercent: 12.5,
    memoryMb: process.memoryUsage().rss / 1024 / 1024,
    threadPoolPercent: performance.eventLoopUtilization().utilization * 100,
  });

  const total = aggregator.getAggregatedMetrics(MetricType.TOTAL_EXECUTION, AggregationWindow.FIVE_MINUTES)!;
  const ttft = aggregator.getAggregatedMetrics(MetricType.TTFT, AggregationWindow.FIVE_MINUTES)!;
  console.log(`aggregated: ${total.count} runs, total p50 ${total.p50.toFixed(1)} ms, p95 ${total.p95.toFixed(1)} ms; TTFT mean ${ttft.mean.toFixed(1)} ms`);
  const resources = aggregator.getPerformanceSummary().resourceUtilization;
  console.log(`resources: memory ${resources.memoryMb.toFixed(1)} MB, event-loop utilisation ${resources.threadPoolPercent.toFixed(1)} %`);
}

void main();
