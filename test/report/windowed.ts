import { buildReport, MetricsAggregator, type AgentReport, type ReportExecution, type TimingBreakdownData } from '../../src';

/** The aggregator's clock in the windowed fixture (epoch ms, a whole hour: windows start on their edges). */
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

function breakdown(id: string, endAt: number, o: { tool: number; llm: number; queue: number }): TimingBreakdownData {
  const totalMs = o.tool + o.llm + o.queue + 2;
  return {
    executionId: id, agentName: 'bot', totalMs, initializationMs: 0, toolExecutionMs: o.tool, llmProcessingMs: o.llm, websocketNotificationMs: 0,
    databaseQueryMs: 0, externalApiMs: 0, queueWaitMs: o.queue, overheadMs: 2, uncategorizedMs: 0, phases: {}, startedAt: endAt - totalMs,
    completed: true, outcome: 'success', openPhases: [], foreignSpanCount: 0,
  } as unknown as TimingBreakdownData;
}

/**
 * A report whose windows differ: 40 executions 30–20 minutes ago spent in tools (one of them 20×
 * slower, planted), then 20 in the last 40 s spent in the LLM and queued. Fed through an aggregator
 * on a fixed clock, so the 1 min window holds only the recent ones and the hour holds both.
 */
export function windowedReport(): { report: AgentReport; old: string[]; recent: string[]; planted: string } {
  const aggregator = new MetricsAggregator({ now: () => NOW });
  const executions: ReportExecution[] = [];
  const old: string[] = [];
  const recent: string[] = [];
  for (let i = 0; i < 40; i++) {
    const id = `old-${String(i).padStart(2, '0')}`;
    const b = breakdown(id, NOW - 30 * 60_000 + i * 15_000, { tool: i === 17 ? 4000 : 180 + (i % 7) * 5, llm: 20 + (i % 3), queue: 0 });
    aggregator.addTimingBreakdown(b as never);
    executions.push({ breakdown: b, ...(i === 17 ? { incident: 'slow_tool', incidentLabel: 'a tool 20× slower' } : {}) });
    old.push(id);
  }
  for (let i = 0; i < 20; i++) {
    const id = `new-${String(i).padStart(2, '0')}`;
    const b = breakdown(id, NOW - 40_000 + i * 2000, { tool: 5, llm: 300 + (i % 5) * 10, queue: 40 + (i % 4) });
    aggregator.addTimingBreakdown(b as never);
    executions.push({ breakdown: b });
    recent.push(id);
  }
  const report = buildReport({ executions, aggregator, allWindows: true });
  return { report, old, recent, planted: 'old-17' };
}
