import type { Meter, ObservableGauge } from '@opentelemetry/api';
import { getGlobalAggregator } from '../aggregation/global-aggregator';
import type { MetricsAggregator } from '../aggregation/metrics-aggregator';
import { epochNow } from '../internal/clock';
import { componentLogger, reportDrop } from '../internal/diag';
import { limits } from '../internal/limits';
import { METRIC_CPU_UTILIZATION, METRIC_MEMORY_USAGE, METRIC_THREAD_POOL_USAGE } from '../spans/names';
import { MetricType } from '../types/metric-type';
import { agentsMeter } from './internal/meter';

/** One set of resource readings (every field optional; each must be a finite number ≥ 0). */
export interface ResourceMetricsInput {
  /** CPU used by the process, percent of the machine's capacity (0–100, like psutil.cpu_percent()). */
  cpuPercent?: number;
  /** Process memory, MB (the resource sampler reports the resident set size). */
  memoryMb?: number;
  /** Thread count (the guide's `threading.active_count()`): kept in the summary's resourceUtilization only. */
  threadCount?: number;
  /** "Thread pool usage" in Node: event-loop utilisation, percent of wall-clock time the event
   *  loop (the one JavaScript thread) was busy. Recorded as MetricType.THREAD_POOL_USAGE. */
  threadPoolPercent?: number;
}

/** Where recordResourceMetrics() writes besides the gauges. */
export type ResourceSink = Pick<MetricsAggregator, 'addMetric' | 'recordResourceUtilization'>;

/** Options of recordResourceMetrics(). */
export interface RecordResourceMetricsOptions {
  /** Aggregator to record into, or `false` for gauges only. Default: the global aggregator. */
  aggregator?: ResourceSink | false;
  /** Meter of the gauges. Default: the global provider's `agent-timing` meter. */
  meter?: Meter;
  /** When the readings were taken, epoch ms. Default: now. */
  timestamp?: number;
  /** More named readings for the summary's resourceUtilization (e.g. `eventLoopDelayP99Ms`). */
  extra?: Record<string, number>;
}

const log = componentLogger('resources');

/** Latest values the observable gauges report (process-wide: the gauges describe the process). */
const latest: { cpuRatio?: number; memoryBytes?: number; poolRatio?: number } = {};
const gaugedMeters = new WeakSet<Meter>();

function ensureGauges(meter: Meter): void {
  if (gaugedMeters.has(meter)) return;
  gaugedMeters.add(meter);
  try {
    const cpu: ObservableGauge = meter.createObservableGauge(METRIC_CPU_UTILIZATION, {
      unit: '1',
      description: 'CPU used by the process as a fraction of the machine capacity (last reading)',
    });
    const memory: ObservableGauge = meter.createObservableGauge(METRIC_MEMORY_USAGE, {
      unit: 'By',
      description: 'Process memory (resident set size when sampled automatically), last reading',
    });
    const pool: ObservableGauge = meter.createObservableGauge(METRIC_THREAD_POOL_USAGE, {
      unit: '1',
      description: 'Event-loop utilisation: fraction of time the JavaScript thread was busy (last reading)',
    });
    meter.addBatchObservableCallback(
      (result) => {
        if (latest.cpuRatio !== undefined) result.observe(cpu, latest.cpuRatio);
        if (latest.memoryBytes !== undefined) result.observe(memory, latest.memoryBytes);
        if (latest.poolRatio !== undefined) result.observe(pool, latest.poolRatio);
      },
      [cpu, memory, pool],
    );
  } catch (err) {
    log.warn('could not create the resource gauges', err);
  }
}

function reading(input: Record<string, unknown>, key: string): number | undefined {
  let v: unknown;
  try {
    v = input[key];
  } catch {
    v = undefined;
  }
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    reportDrop('invalid-resource-reading', `recordResourceMetrics(): ${key} must be a finite number ≥ 0; it was dropped`);
    return undefined;
  }
  return v;
}

/**
 * Records resource readings: memory as MetricType.MEMORY_USAGE (MB) and thread-pool usage as
 * THREAD_POOL_USAGE (%) into the aggregator, every reading into its resourceUtilization summary,
 * and CPU, memory and thread-pool usage as OpenTelemetry observable gauges
 * (`agent_process_cpu_utilization_ratio`, `agent_process_memory_usage_bytes`,
 * `agent_thread_pool_utilization_ratio`; no attributes). Bad readings are dropped and counted.
 * Never throws.
 */
export function recordResourceMetrics(input: ResourceMetricsInput, options?: RecordResourceMetricsOptions): void {
  try {
    record(input, options);
  } catch {
    // Options or readings whose getters or proxy traps throw.
    reportDrop('invalid-resource-reading', 'recordResourceMetrics() could not read its arguments (a getter or proxy threw); they were dropped');
  }
}

function record(input: ResourceMetricsInput, options: RecordResourceMetricsOptions | undefined): void {
  if (input === null || typeof input !== 'object') {
    reportDrop('invalid-resource-reading', 'recordResourceMetrics() needs an object such as { cpuPercent, memoryMb }; it was dropped');
    return;
  }
  const o: RecordResourceMetricsOptions = options !== null && typeof options === 'object' ? options : {};
  const values = input as Record<string, unknown>;
  const cpuPercent = reading(values, 'cpuPercent');
  const memoryMb = reading(values, 'memoryMb');
  const threadCount = reading(values, 'threadCount');
  const threadPoolPercent = reading(values, 'threadPoolPercent');
  const timestamp = typeof o.timestamp === 'number' && Number.isFinite(o.timestamp) ? o.timestamp : epochNow();

  const sink = o.aggregator === false ? undefined : (o.aggregator ?? getGlobalAggregator());
  if (sink) {
    try {
      if (memoryMb !== undefined) sink.addMetric({ metricType: MetricType.MEMORY_USAGE, value: memoryMb, timestamp });
      if (threadPoolPercent !== undefined) sink.addMetric({ metricType: MetricType.THREAD_POOL_USAGE, value: threadPoolPercent, timestamp });
      // memoryMb and threadPoolPercent reach resourceUtilization through the metrics above.
      const summary: Record<string, number> = {};
      if (cpuPercent !== undefined) summary.cpuPercent = cpuPercent;
      if (threadCount !== undefined) summary.threadCount = threadCount;
      if (o.extra !== null && typeof o.extra === 'object') {
        for (const [k, v] of Object.entries(o.extra)) {
          if (typeof v === 'number' && Number.isFinite(v) && v >= 0) summary[k] = v;
        }
      }
      if (Object.keys(summary).length > 0) sink.recordResourceUtilization(summary, timestamp);
    } catch (err) {
      log.error('an aggregator threw while taking resource readings', err);
    }
  }

  if (limits.disabled) return;
  if (cpuPercent !== undefined) latest.cpuRatio = cpuPercent / 100;
  if (memoryMb !== undefined) latest.memoryBytes = Math.round(memoryMb * 1024 * 1024);
  if (threadPoolPercent !== undefined) latest.poolRatio = threadPoolPercent / 100;
  try {
    ensureGauges(agentsMeter(o.meter));
  } catch {
    // a broken meter provider must not break the caller
  }
}

/** The values the resource gauges report now (for tests and health pages). */
export function latestResourceGaugeValues(): { cpuRatio?: number; memoryBytes?: number; poolRatio?: number } {
  return { ...latest };
}
