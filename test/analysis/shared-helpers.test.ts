import { changePercent, classifyTrend, DEFAULT_TREND_THRESHOLDS, efficiencyScore, percentile, TimingBreakdown } from '../../src';
import { efficiencyOf } from '../../src/analysis/breakdown-shares';

// The helpers the report and the demo share with the SDK (written once, exported from the package).
describe('shared helpers', () => {
  it('efficiencyScore is the formula of calculateEfficiency and efficiencyOf', () => {
    const b = new TimingBreakdown({ totalMs: 200, queueWaitMs: 30, overheadMs: 20 });
    expect(efficiencyScore(200, 30, 20)).toBe(75);
    expect(b.calculateEfficiency()).toBe(75);
    expect(efficiencyOf(b.toJSON())).toBe(75);
    expect(efficiencyScore(0, 0, 0)).toBe(100);
    expect(efficiencyScore(10, 20, 0)).toBe(0);
  });

  it('percentile is nearest-rank and leaves its input alone', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 95)).toBe(5);
    expect(percentile(values, 0)).toBe(1);
    expect(values).toEqual([5, 1, 4, 2, 3]);
    expect(percentile([], 95)).toBeNaN();
  });

  it('the ±10 % trend rule', () => {
    expect(DEFAULT_TREND_THRESHOLDS).toEqual({ degrading: 0.1, improving: 0.1 });
    expect(classifyTrend(111, 100, DEFAULT_TREND_THRESHOLDS)).toBe('degrading');
    expect(classifyTrend(110, 100, DEFAULT_TREND_THRESHOLDS)).toBe('stable');
    expect(classifyTrend(89, 100, DEFAULT_TREND_THRESHOLDS)).toBe('improving');
    expect(classifyTrend(5, 0, DEFAULT_TREND_THRESHOLDS)).toBe('degrading');
    expect(changePercent(150, 100)).toBe(50);
    expect(changePercent(3, 0)).toBe(100);
  });
});
