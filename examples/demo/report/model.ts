import { INCIDENT_LABEL } from '../scenario';
import {
  buildReport,
  type AgentReport,
  type MetricsAggregator,
  type PerformanceAnalyzer,
  type ReportExecution,
  type ResourceSample,
} from 'agent-timing';
import type { ExecutionRecord } from '../workload';

export type Endpoints = AgentReport['endpoints'];

export interface DemoReportInputs {
  records: ExecutionRecord[];
  aggregator: MetricsAggregator;
  analyzer: PerformanceAnalyzer;
  run: { seed: number; concurrency: number; agentName: string; startedAt: string; durationMs: number; startupMs: number; databaseStartMs: number };
  endpoints: Endpoints;
  resourceSamples: ResourceSample[];
}

/** The run's executions as the SDK's report takes them: the workload's plan adds the user and the planted incident. */
export function reportExecutions(records: ExecutionRecord[]): ReportExecution[] {
  return records.map((r) => {
    const e: ReportExecution = {
      breakdown: r.breakdown,
      criticalPath: r.criticalPath,
      waterfall: r.waterfall,
      startOffsetMs: r.startOffsetMs,
      userId: r.plan.userId,
    };
    if (r.error) e.error = r.error;
    if (r.plan.incident) {
      e.incident = r.plan.incident;
      e.incidentLabel = INCIDENT_LABEL[r.plan.incident];
    }
    return e;
  });
}

/** The demo's report: the SDK's, over every execution of the run. */
export function buildDemoReport(i: DemoReportInputs): AgentReport {
  return buildReport({
    executions: reportExecutions(i.records),
    aggregator: i.aggregator,
    analyzer: i.analyzer,
    title: 'agent-timing demo',
    run: i.run,
    endpoints: i.endpoints,
    resourceSamples: i.resourceSamples,
    throughputBuckets: 40,
  });
}
