import fc from 'fast-check';
import { MetricsAggregator } from '../../src/aggregation/metrics-aggregator';
import { getDropCounts } from '../../src/internal/diag';
import { resetForTests } from '../../src/setup/reset-for-tests';
import { AggregationWindow, MetricType } from '../../src/types/metric-type';
import { exactPercentile, HOUR, logNormal, ManualClock, metric, MINUTE, NOON, relErr, SECOND } from './support';

const LLM = MetricType.LLM_PROCESSING;
const { MINUTE: W_MINUTE, FIVE_MINUTES, HOUR: W_HOUR, DAY, WEEK } = AggregationWindow;

beforeEach(() => resetForTests());

function setup(startMs: number, options: ConstructorParameters<typeof MetricsAggregator>[0] = {}) {
  const clock = new ManualClock(startMs);
  const aggregator = new MetricsAggregator({ now: clock.now, ...options });
  return { clock, aggregator };
}

describe('window edges (explicit timestamps, injected clock)', () => {
  it('MINUTE and FIVE_MINUTES start on 10 s boundaries: now 12:00:07 → 11:59:10 and 11:55:10', () => {
    const { aggregator } = setup(NOON + 7 * SECOND);
    aggregator.addMetric(metric(LLM, 1, NOON - 50 * SECOND - 1)); // 11:59:09.999
    aggregator.addMetric(metric(LLM, 2, NOON - 50 * SECOND)); // 11:59:10.000
    aggregator.addMetric(metric(LLM, 3, NOON + 7 * SECOND)); // now
    aggregator.addMetric(metric(LLM, 4, NOON - 290 * SECOND - 1)); // 11:55:09.999
    aggregator.addMetric(metric(LLM, 5, NOON - 290 * SECOND)); // 11:55:10.000

    const minute = aggregator.getAggregatedMetrics(LLM, W_MINUTE);
    expect(minute).toMatchObject({ count: 2, min: 2, max: 3, sum: 5, windowStartMs: NOON - 50 * SECOND });
    const five = aggregator.getAggregatedMetrics(LLM, FIVE_MINUTES);
    expect(five).toMatchObject({ count: 4, min: 1, max: 5, windowStartMs: NOON - 290 * SECOND });
    expect(aggregator.getAggregatedMetrics(LLM, W_HOUR)?.count).toBe(5);
  });

  it('the edge moves in 10 s steps as the clock advances', () => {
    const { clock, aggregator } = setup(NOON);
    aggregator.addMetric(metric(LLM, 1, NOON - 50 * SECOND)); // 11:59:10
    expect(aggregator.getAggregatedMetrics(LLM, W_MINUTE)?.count).toBe(1);
    clock.advance(9_999); // 12:00:09.999: same fine slot, same edge
    expect(aggregator.getAggregatedMetrics(LLM, W_MINUTE)?.count).toBe(1);
    clock.advance(1); // 12:00:10: the edge moves to 11:59:20
    expect(aggregator.getAggregatedMetrics(LLM, W_MINUTE)).toBeUndefined();
    expect(aggregator.getAggregatedMetrics(LLM, FIVE_MINUTES)?.count).toBe(1);
  });

  it('HOUR starts on a 5 min boundary: now 12:07:00 → 11:10:00', () => {
    const { aggregator } = setup(NOON + 7 * MINUTE);
    aggregator.addMetric(metric(LLM, 1, NOON - 50 * MINUTE - 1)); // 11:09:59.999
    aggregator.addMetric(metric(LLM, 2, NOON - 50 * MINUTE)); // 11:10:00.000
    aggregator.addMetric(metric(LLM, 3, NOON + 6 * MINUTE));
    expect(aggregator.getAggregatedMetrics(LLM, W_HOUR)).toMatchObject({ count: 2, min: 2, windowStartMs: NOON - 50 * MINUTE });
    expect(aggregator.getAggregatedMetrics(LLM, DAY)?.count).toBe(3);
  });

  it('DAY starts on an hour boundary: now 12:30 → 13:00 the day before; WEEK is bounded by retention', () => {
    const { aggregator } = setup(NOON + 30 * MINUTE);
    aggregator.addMetric(metric(LLM, 1, NOON - 23 * HOUR - 1)); // 12:59:59.999 yesterday: before retention
    aggregator.addMetric(metric(LLM, 2, NOON - 23 * HOUR)); // 13:00 yesterday
    aggregator.addMetric(metric(LLM, 3, NOON));
    expect(aggregator.getAggregatedMetrics(LLM, DAY)).toMatchObject({ count: 2, min: 2, windowStartMs: NOON - 23 * HOUR });
    expect(aggregator.getAggregatedMetrics(LLM, WEEK)).toMatchObject({ count: 2, windowStartMs: NOON - 23 * HOUR });
    expect(getDropCounts()['aggregator-too-old']).toBe(1);
  });

  it('WEEK sees a week with retentionHours: 168', () => {
    const { aggregator } = setup(NOON, { retentionHours: 168 });
    aggregator.addMetric(metric(LLM, 1, NOON - 167 * HOUR));
    aggregator.addMetric(metric(LLM, 2, NOON - 30 * HOUR));
    expect(aggregator.getAggregatedMetrics(LLM, WEEK)?.count).toBe(2);
    expect(aggregator.getAggregatedMetrics(LLM, DAY)?.count).toBeUndefined();
  });

  it('future-dated metrics within the skew count in every window', () => {
    const { aggregator } = setup(NOON);
    aggregator.addMetric(metric(LLM, 7, NOON + 60 * SECOND));
    expect(aggregator.getAggregatedMetrics(LLM, W_MINUTE)?.count).toBe(1);
  });

  it('throws a RangeError for a window that is not a positive number of seconds', () => {
    const { aggregator } = setup(NOON);
    expect(() => aggregator.getAggregatedMetrics(LLM, 0 as AggregationWindow)).toThrow(RangeError);
    expect(() => aggregator.getAggregatedMetrics(LLM, Number.NaN as AggregationWindow)).toThrow(/AggregationWindow/);
  });
});

describe('retention and future skew', () => {
  it('drops metrics before the hour-aligned retention start and counts them', () => {
    const { clock, aggregator } = setup(NOON + 30 * MINUTE, { retentionHours: 2 });
    aggregator.addMetric(metric(LLM, 1, NOON - HOUR - 1)); // 10:59:59.999: retention starts 11:00
    aggregator.addMetric(metric(LLM, 2, NOON - HOUR));
    aggregator.addMetric(metric(LLM, 3, NOON));
    expect(getDropCounts()['aggregator-too-old']).toBe(1);
    expect(aggregator.getAggregatedMetrics(LLM, DAY)?.count).toBe(2);

    clock.ms = NOON + HOUR; // retention now starts at 12:00: the 11:00 observation ages out
    expect(aggregator.getAggregatedMetrics(LLM, DAY)).toMatchObject({ count: 1, min: 3 });
    expect(aggregator.clearOldMetrics()).toBe(1);
    expect(aggregator.clearOldMetrics()).toBe(0);
    expect(aggregator.expiredCount).toBe(1);
  });

  it('expires on its own as the clock moves: nothing is kept past retention without clearOldMetrics()', () => {
    const { clock, aggregator } = setup(NOON, { retentionHours: 1 });
    for (let i = 0; i < 100; i++) aggregator.addMetric(metric(LLM, i, NOON + i));
    clock.ms = NOON + 3 * HOUR;
    aggregator.addMetric(metric(LLM, 1, clock.ms)); // any write (or read) rotates
    expect(aggregator.expiredCount).toBe(100);
    expect(aggregator.getMemoryStats().liveSlots[LLM]).toBe(1);
    expect(aggregator.clearOldMetrics()).toBe(100);
  });

  it('rounds fractional retention up to whole hours', () => {
    expect(new MetricsAggregator({ retentionHours: 0.5 }).retentionHours).toBe(1);
    expect(new MetricsAggregator({ retentionHours: 24.1 }).retentionHours).toBe(25);
  });

  it('accepts up to maxFutureSkewMs ahead of the clock and drops beyond', () => {
    const { aggregator } = setup(NOON);
    aggregator.addMetric(metric(LLM, 1, NOON + 60_000));
    aggregator.addMetric(metric(LLM, 2, NOON + 60_001));
    expect(aggregator.getAggregatedMetrics(LLM, W_MINUTE)?.count).toBe(1);
    expect(getDropCounts()['aggregator-future-timestamp']).toBe(1);

    const strict = setup(NOON, { maxFutureSkewMs: 0 }).aggregator;
    strict.addMetric(metric(LLM, 1, NOON + 1));
    expect(strict.getAggregatedMetrics(LLM, W_MINUTE)).toBeUndefined();
    expect(getDropCounts()['aggregator-future-timestamp']).toBe(2);
  });

  it('a clock stepping back does not reopen or un-expire anything', () => {
    const { clock, aggregator } = setup(NOON, { retentionHours: 1 });
    aggregator.addMetric(metric(LLM, 1, NOON));
    clock.ms = NOON + 2 * HOUR;
    expect(aggregator.getAggregatedMetrics(LLM, W_HOUR)).toBeUndefined();
    clock.ms = NOON; // stepped back
    expect(aggregator.getAggregatedMetrics(LLM, W_HOUR)).toBeUndefined();
    aggregator.addMetric(metric(LLM, 1, NOON)); // before retention as of the latest reading
    expect(getDropCounts()['aggregator-too-old']).toBe(1);
  });
});

describe('late and out-of-order metrics', () => {
  it('land in the slot of their own timestamp, in any arrival order', () => {
    const { aggregator } = setup(NOON);
    const stamps = [NOON - 3 * HOUR, NOON, NOON - 20 * MINUTE, NOON - 4 * MINUTE, NOON - 30 * SECOND, NOON - 22 * HOUR];
    stamps.forEach((t, i) => aggregator.addMetric(metric(LLM, i + 1, t)));
    expect(aggregator.getAggregatedMetrics(LLM, W_MINUTE)).toMatchObject({ count: 2, sum: 2 + 5 });
    expect(aggregator.getAggregatedMetrics(LLM, FIVE_MINUTES)).toMatchObject({ count: 3, sum: 2 + 4 + 5 });
    expect(aggregator.getAggregatedMetrics(LLM, W_HOUR)).toMatchObject({ count: 4, sum: 2 + 3 + 4 + 5 });
    expect(aggregator.getAggregatedMetrics(LLM, DAY)).toMatchObject({ count: 6, sum: 21 });
  });

  it('windows equal a brute-force filter over every timestamp while the clock moves (property)', () => {
    const windows = [W_MINUTE, FIVE_MINUTES, W_HOUR, DAY, WEEK];
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -26 * 3600, max: 60 }), fc.integer({ min: 0, max: 1000 })), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 2 * 3600 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 3_599_999 }),
        fc.integer({ min: 1, max: 30 }),
        (points, advances, phase, retentionHours) => {
          const start = NOON + phase;
          const { clock, aggregator } = setup(start, { retentionHours });
          const retained = (now: number) => Math.floor(now / HOUR) * HOUR - (retentionHours - 1) * HOUR;
          const kept: { t: number; v: number }[] = [];
          for (const [offsetS, v] of points) {
            const t = start + offsetS * 1000;
            aggregator.addMetric(metric(LLM, v, t));
            if (t >= retained(start)) kept.push({ t, v });
          }
          for (const adv of advances) {
            clock.advance(adv * 1000);
            const now = clock.ms;
            const retentionStart = retained(now);
            for (const w of windows) {
              const ms = w * 1000;
              const g = ms <= 600_000 ? 10_000 : ms <= 3_600_000 ? 300_000 : HOUR;
              const from = Math.max(Math.floor(now / g) * g - (ms / g - 1) * g, retentionStart);
              const inWindow = kept.filter((p) => p.t >= from);
              const got = aggregator.getAggregatedMetrics(LLM, w);
              if (inWindow.length === 0) {
                expect(got).toBeUndefined();
              } else {
                expect(got?.count).toBe(inWindow.length);
                expect(got?.sum).toBe(inWindow.reduce((a, p) => a + p.v, 0));
                expect(got?.min).toBe(Math.min(...inWindow.map((p) => p.v)));
                expect(got?.max).toBe(Math.max(...inWindow.map((p) => p.v)));
                expect(got?.windowStartMs).toBe(from);
              }
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('accuracy through the aggregator', () => {
  it('count/sum/mean/min/max/stdDev are exact and p50–p99 within 1 % of exact nearest-rank values (log-normal)', () => {
    const { aggregator } = setup(NOON);
    const values = logNormal(60_000, 300, 1.1, 21);
    // Spread over the last 20 hours so DAY merges slots of all three levels.
    values.forEach((v, i) => aggregator.addMetric(metric(LLM, v, NOON - Math.floor((i * 20 * HOUR) / values.length))));
    const sorted = [...values].sort((a, b) => a - b);
    const got = aggregator.getAggregatedMetrics(LLM, DAY);
    expect(got).toBeDefined();
    if (!got) return;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    expect(got.count).toBe(values.length);
    expect(relErr(got.sum, mean * values.length)).toBeLessThan(1e-12);
    expect(relErr(got.mean, mean)).toBeLessThan(1e-12);
    expect(got.min).toBe(sorted[0]);
    expect(got.max).toBe(sorted.at(-1));
    expect(relErr(got.stdDev, sd)).toBeLessThan(1e-9);
    for (const [key, p] of [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99]] as const) {
      expect(relErr(got[key], exactPercentile(sorted, p))).toBeLessThanOrEqual(0.01);
    }

    // And a sub-window: the last hour only.
    const lastHour = values.filter((_, i) => NOON - Math.floor((i * 20 * HOUR) / values.length) >= NOON - 55 * MINUTE).sort((a, b) => a - b);
    const hour = aggregator.getAggregatedMetrics(LLM, W_HOUR);
    expect(hour?.count).toBe(lastHour.length);
    for (const [key, p] of [['p50', 50], ['p99', 99]] as const) {
      expect(relErr(hour?.[key] ?? NaN, exactPercentile(lastHour, p))).toBeLessThanOrEqual(0.01);
    }
  });

  it('stdDev stays exact for large means with tiny spread (numerically stable merge)', () => {
    const { aggregator } = setup(NOON);
    const values = Array.from({ length: 10_000 }, (_, i) => 1e9 + (i % 3)); // 1e9 + {0,1,2}
    values.forEach((v, i) => aggregator.addMetric(metric(LLM, v, NOON - i * 7 * SECOND)));
    const got = aggregator.getAggregatedMetrics(LLM, DAY);
    // Exact reference on the offsets (a naive Σx² − (Σx)²/n would return garbage here).
    const offsets = values.map((v) => v - 1e9);
    const m = offsets.reduce((a, b) => a + b, 0) / offsets.length;
    const sd = Math.sqrt(offsets.reduce((a, o) => a + (o - m) ** 2, 0) / offsets.length);
    expect(relErr(got?.stdDev ?? NaN, sd)).toBeLessThan(1e-6);
  });

  it('counts zero-valued observations', () => {
    const { aggregator } = setup(NOON);
    for (let i = 0; i < 90; i++) aggregator.addMetric(metric(MetricType.QUEUE_WAIT, 0, NOON));
    for (let i = 1; i <= 10; i++) aggregator.addMetric(metric(MetricType.QUEUE_WAIT, i * 10, NOON));
    const got = aggregator.getAggregatedMetrics(MetricType.QUEUE_WAIT, W_MINUTE);
    expect(got).toMatchObject({ count: 100, min: 0, p50: 0, p90: 0, sum: 550 });
    expect(relErr(got?.p95 ?? NaN, 50)).toBeLessThanOrEqual(0.01);
    expect(relErr(got?.p99 ?? NaN, 90)).toBeLessThanOrEqual(0.01);
  });

  it('WEEK over many slots answers from the cache after the first merge, and updates with new data', () => {
    const { aggregator } = setup(NOON);
    for (let i = 0; i < 5000; i++) aggregator.addMetric(metric(LLM, 100 + (i % 50), NOON - i * 16 * SECOND));
    const first = aggregator.getAggregatedMetrics(LLM, WEEK);
    expect(aggregator.getAggregatedMetrics(LLM, WEEK)).toEqual(first);
    aggregator.addMetric(metric(LLM, 10_000, NOON - 5 * HOUR)); // a late write into a closed slot
    expect(aggregator.getAggregatedMetrics(LLM, WEEK)?.max).toBe(10_000);
    aggregator.addMetric(metric(LLM, 20_000, NOON)); // the current slot
    expect(aggregator.getAggregatedMetrics(LLM, WEEK)).toMatchObject({ count: 5002, max: 20_000 });
  });
});
