import { ResourceSampler, startResourceSampler, type ResourceSample } from '../../src/agents/resource-sampler';
import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { METRIC_THREAD_POOL_USAGE } from '../../src/spans/names';
import { AggregationWindow, MetricType } from '../../src/types/metric-type';
import { sleep, spin } from '../support/time';
import { waitFor } from '../support/wait-for';
import { meterRecorder } from './support';

describe('ResourceSampler', () => {
  it('samples on its interval, records the values, and stops on shutdown', async () => {
    const aggregator = new MetricsAggregator();
    const { provider, points } = meterRecorder();
    const samples: ResourceSample[] = [];
    const sampler = startResourceSampler({ intervalMs: 100, aggregator, meter: provider.getMeter('t'), onSample: (s) => samples.push(s) });
    expect(sampler.running).toBe(true);
    spin(40); // keep the event loop busy for a while: utilisation and CPU must show it
    // Polled, not a fixed sleep: each interval fires 100 ms after the previous sample ran, so one
    // stall of the loop (GC, a busy CI machine) can push the second sample past a fixed sleep. The
    // deadline still proves intervalMs is used: the default interval is 10 s.
    const hasDelay = (s: ResourceSample) => s.eventLoopDelayMaxMs !== undefined;
    expect(await waitFor(() => samples.length >= 2 && samples.some(hasDelay), 5_000)).toBe(true);
    const first = samples[0];
    expect(first.memoryMb).toBeGreaterThan(10);
    expect(first.heapUsedMb).toBeGreaterThan(1);
    expect(first.heapUsedMb).toBeLessThanOrEqual(first.heapTotalMb);
    expect(first.eventLoopUtilizationPercent).toBeGreaterThan(5);
    expect(first.eventLoopUtilizationPercent).toBeLessThanOrEqual(100);
    expect(first.processCpuPercent).toBeGreaterThan(5);
    expect(first.cpuPercent).toBeGreaterThan(0);
    expect(first.cpuPercent).toBeLessThanOrEqual(100);
    // Delay figures appear once the histogram has ticked twice (its 20 ms timer records the time
    // between its own ticks, so any maximum is about 20 ms or more); a first interval that stalled
    // right after the spin may not have had two ticks yet, so: the first sample that has them.
    // Not a time bound: one loaded run measured a maximum under 15 ms (issue 13). The figures must
    // be there and consistent.
    const withDelay = samples.find(hasDelay)!;
    expect(withDelay.eventLoopDelayMaxMs).toBeGreaterThan(0);
    expect(withDelay.eventLoopDelayMaxMs).toBeGreaterThanOrEqual(withDelay.eventLoopDelayP99Ms!);
    expect(withDelay.eventLoopDelayP99Ms).toBeGreaterThanOrEqual(withDelay.eventLoopDelayP50Ms!);
    expect(aggregator.getAggregatedMetrics(MetricType.MEMORY_USAGE, AggregationWindow.MINUTE)?.count).toBe(samples.length);
    expect(aggregator.getAggregatedMetrics(MetricType.THREAD_POOL_USAGE, AggregationWindow.MINUTE)?.count).toBe(samples.length);
    const summary = aggregator.getPerformanceSummary().resourceUtilization;
    expect(Object.keys(summary).sort()).toEqual(
      expect.arrayContaining(['cpuPercent', 'memoryMb', 'threadPoolPercent', 'heapUsedMb', 'eventLoopUtilizationPercent']),
    );
    expect((await points(METRIC_THREAD_POOL_USAGE))[0].value).toBeGreaterThanOrEqual(0);

    await sampler.shutdown();
    expect(sampler.running).toBe(false);
    const n = samples.length;
    await sleep(250);
    expect(samples.length).toBe(n);
    sampler.start(); // a stopped sampler stays stopped
    expect(sampler.running).toBe(false);
    await provider.shutdown();
  });

  it('never keeps the process alive (its timer is unref()\'d)', () => {
    const sampler = new ResourceSampler({ intervalMs: 1000, aggregator: false }).start();
    const timer = (sampler as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
    sampler.stop();
    sampler.stop(); // idempotent
  });

  it('takes a sample on demand and rejects bad configuration', () => {
    const sampler = new ResourceSampler({ aggregator: false });
    const s = sampler.sample()!;
    expect(s.timestamp).toBeGreaterThan(0);
    expect(sampler.lastSample).toBe(s);
    sampler.stop();
    expect(() => new ResourceSampler({ intervalMs: 5 })).toThrow(RangeError);
    expect(() => new ResourceSampler({ onSample: 3 as never })).toThrow(TypeError);
  });

  it('survives a throwing onSample hook', () => {
    const sampler = new ResourceSampler({
      aggregator: false,
      onSample: () => {
        throw new Error('hook');
      },
    });
    expect(sampler.sample()).toBeDefined();
    sampler.stop();
  });
});
