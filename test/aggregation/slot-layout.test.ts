import { retentionStart, windowGranularityMs, windowStart, windowToMs } from '../../src/aggregation/slot-layout';
import { AggregationWindow } from '../../src/types/metric-type';
import { HOUR, MINUTE, NOON, SECOND } from './support';

describe('slot layout', () => {
  it('window granularity: 10 s up to 10 min, 5 min up to 1 h, 1 h beyond', () => {
    expect(windowGranularityMs(60_000)).toBe(10_000);
    expect(windowGranularityMs(600_000)).toBe(10_000);
    expect(windowGranularityMs(900_000)).toBe(300_000);
    expect(windowGranularityMs(3_600_000)).toBe(300_000);
    expect(windowGranularityMs(86_400_000)).toBe(3_600_000);
  });

  it('window starts: the current slot plus n − 1 before it, clipped to retention', () => {
    const rs = retentionStart(NOON + 7 * SECOND, 24);
    expect(rs).toBe(NOON - 23 * HOUR);
    expect(windowStart(windowToMs(AggregationWindow.MINUTE), NOON + 7 * SECOND, rs)).toBe(NOON - 50 * SECOND);
    expect(windowStart(windowToMs(AggregationWindow.FIVE_MINUTES), NOON + 7 * SECOND, rs)).toBe(NOON - 290 * SECOND);
    expect(windowStart(windowToMs(AggregationWindow.HOUR), NOON + 7 * MINUTE, rs)).toBe(NOON - 50 * MINUTE);
    expect(windowStart(windowToMs(AggregationWindow.DAY), NOON + 30 * MINUTE, rs)).toBe(NOON - 23 * HOUR);
    expect(windowStart(windowToMs(AggregationWindow.WEEK), NOON, rs)).toBe(rs);
    // Windows that are not multiples of their granularity round up to whole slots.
    expect(windowStart(45_000, NOON, rs)).toBe(NOON - 40 * SECOND);
  });

  it('rejects windows that are not positive numbers of seconds', () => {
    expect(() => windowToMs(-60)).toThrow(RangeError);
    expect(() => windowToMs(Infinity)).toThrow(RangeError);
  });
});
