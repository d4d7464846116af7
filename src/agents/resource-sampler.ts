import type { Meter } from '@opentelemetry/api';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import { epochNow, monotonicNow } from '../internal/clock';
import { componentLogger } from '../internal/diag';
import { recordResourceMetrics, type ResourceSink } from './resource-metrics';
import { numberAtLeast, optionFailure, type OptionFailure } from '../internal/options';

/** Options of the automatic resource sampler. */
export interface ResourceSamplerOptions {
  /** Time between samples, ms. Default 10 000; at least 100. */
  intervalMs?: number;
  /** Aggregator to record into, or `false` for gauges only. Default: the global aggregator. */
  aggregator?: ResourceSink | false;
  /** Meter of the gauges. Default: the global provider's `agent-timing` meter. */
  meter?: Meter;
  /** Resolution of the event-loop delay histogram, ms. Default 20. */
  eventLoopDelayResolutionMs?: number;
  /** Called with every sample (an exception from it is logged, never thrown). */
  onSample?: (sample: ResourceSample) => void;
}

/** One sample of the process. Rates (CPU, utilisation, delay) cover the time since the previous sample. */
export interface ResourceSample {
  /** Epoch ms. */
  timestamp: number;
  /** CPU time of the process over wall-clock time, as percent of the machine (all cores = 100). */
  cpuPercent: number;
  /** The same as percent of one core (above 100 when worker threads or libuv threads burn CPU). */
  processCpuPercent: number;
  /** Resident set size, MB. */
  memoryMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  /** Event-loop utilisation, percent: what "thread pool usage" means for Node (THREAD_POOL_USAGE). */
  eventLoopUtilizationPercent: number;
  /** Event-loop delay percentiles and maximum, ms (absent until the histogram has samples). */
  eventLoopDelayP50Ms?: number;
  eventLoopDelayP99Ms?: number;
  eventLoopDelayMaxMs?: number;
}

const log = componentLogger('resource-sampler');
const MB = 1024 * 1024;

const fail: OptionFailure = optionFailure('', RangeError, String);

const round = (v: number): number => Math.round(v * 100) / 100;

/**
 * Samples the process on an unref()'d timer (it never keeps the process alive) and records each
 * sample with recordResourceMetrics(): CPU, RSS, event-loop utilisation as thread-pool usage,
 * plus heap and event-loop delay in the aggregator's resourceUtilization. Built on `perf_hooks`
 * (`performance.eventLoopUtilization()`, `monitorEventLoopDelay()`) and `process.cpuUsage()` /
 * `process.memoryUsage()`, because the values must reach the in-process aggregator too; for the
 * full OpenTelemetry runtime metric set, add `@opentelemetry/instrumentation-runtime-node`.
 */
export class ResourceSampler {
  private readonly intervalMs: number;
  private readonly resolutionMs: number;
  private readonly options: ResourceSamplerOptions;
  private timer: NodeJS.Timeout | undefined;
  private delay: IntervalHistogram | undefined;
  private prevCpu: NodeJS.CpuUsage | undefined;
  private prevElu: EventLoopUtilization | undefined;
  private prevAt = 0;
  private last: ResourceSample | undefined;
  private stopped = false;

  constructor(options: ResourceSamplerOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('agent-timing: ResourceSampler options must be an object');
    this.intervalMs = numberAtLeast('intervalMs', options.intervalMs, 100, 10_000, fail);
    this.resolutionMs = numberAtLeast('eventLoopDelayResolutionMs', options.eventLoopDelayResolutionMs, 1, 20, fail);
    if (options.onSample !== undefined && typeof options.onSample !== 'function') {
      throw new TypeError('agent-timing: onSample must be a function');
    }
    this.options = options;
  }

  /** True between start() and stop(). */
  get running(): boolean {
    return this.timer !== undefined;
  }

  /** The most recent sample, if any. */
  get lastSample(): ResourceSample | undefined {
    return this.last;
  }

  /** Starts sampling every intervalMs (the first sample after one interval). Idempotent; no-op after stop(). */
  start(): this {
    if (this.timer || this.stopped) {
      if (this.stopped) log.warn('start() after stop(): a stopped sampler does not restart; create a new one');
      return this;
    }
    this.baseline();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
    log.debug(`sampling process resources every ${this.intervalMs} ms`);
    return this;
  }

  /** Takes a sample now, records it and returns it. Never throws. */
  sample(): ResourceSample | undefined {
    try {
      if (!this.prevCpu) this.baseline();
      const now = monotonicNow();
      const elapsedMs = Math.max(now - this.prevAt, 1e-3);
      const cpuNow = process.cpuUsage();
      const eluNow = performance.eventLoopUtilization();
      const prevCpu = this.prevCpu!;
      const elu = performance.eventLoopUtilization(eluNow, this.prevElu);
      this.prevCpu = cpuNow;
      this.prevElu = eluNow;
      this.prevAt = now;
      const cpuMs = Math.max(0, cpuNow.user - prevCpu.user + cpuNow.system - prevCpu.system) / 1000;
      const processCpuPercent = (100 * cpuMs) / elapsedMs;
      const mem = process.memoryUsage();
      const s: ResourceSample = {
        timestamp: epochNow(),
        cpuPercent: round(Math.min(100, processCpuPercent / Math.max(1, availableParallelism()))),
        processCpuPercent: round(processCpuPercent),
        memoryMb: round(mem.rss / MB),
        heapUsedMb: round(mem.heapUsed / MB),
        heapTotalMb: round(mem.heapTotal / MB),
        eventLoopUtilizationPercent: round(Math.min(100, Math.max(0, elu.utilization * 100))),
      };
      const d = this.delay;
      if (d && d.count > 0) {
        s.eventLoopDelayP50Ms = round(d.percentile(50) / 1e6);
        s.eventLoopDelayP99Ms = round(d.percentile(99) / 1e6);
        s.eventLoopDelayMaxMs = round(d.max / 1e6);
        d.reset();
      }
      this.last = s;
      const extra: Record<string, number> = { heapUsedMb: s.heapUsedMb, eventLoopUtilizationPercent: s.eventLoopUtilizationPercent };
      if (s.eventLoopDelayP99Ms !== undefined) extra.eventLoopDelayP99Ms = s.eventLoopDelayP99Ms;
      recordResourceMetrics(
        { cpuPercent: s.cpuPercent, memoryMb: s.memoryMb, threadPoolPercent: s.eventLoopUtilizationPercent },
        { aggregator: this.options.aggregator, meter: this.options.meter, timestamp: s.timestamp, extra },
      );
      if (this.options.onSample) {
        try {
          this.options.onSample(s);
        } catch (err) {
          log.error('onSample threw', err);
        }
      }
      return s;
    } catch (err) {
      log.error('taking a resource sample failed', err);
      return undefined;
    }
  }

  /** Stops the timer and the event-loop delay monitor. Idempotent. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.delay) {
      try {
        this.delay.disable();
      } catch {
        // already disabled
      }
      this.delay = undefined;
    }
  }

  /** stop(), as a promise (the shape of other OpenTelemetry components' shutdown). */
  shutdown(): Promise<void> {
    this.stop();
    return Promise.resolve();
  }

  private baseline(): void {
    this.prevCpu = process.cpuUsage();
    this.prevElu = performance.eventLoopUtilization();
    this.prevAt = monotonicNow();
    if (!this.delay && !this.stopped) {
      try {
        this.delay = monitorEventLoopDelay({ resolution: this.resolutionMs });
        this.delay.enable();
      } catch (err) {
        log.warn('event-loop delay monitoring is unavailable', err);
        this.delay = undefined;
      }
    }
  }
}

/** Creates and starts a ResourceSampler (opt-in; call stop() or shutdown() to end it). */
export function startResourceSampler(options?: ResourceSamplerOptions): ResourceSampler {
  return new ResourceSampler(options).start();
}
