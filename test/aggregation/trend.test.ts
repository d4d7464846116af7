import { changePercent, classifyTrend } from '../../src/aggregation/trend';

const T = { degrading: 0.1, improving: 0.1 };

describe('classifyTrend', () => {
  it.each([
    [110, 100, 'stable'],
    [110.01, 100, 'degrading'],
    [90, 100, 'stable'],
    [89.99, 100, 'improving'],
    [0, 0, 'stable'],
    [1, 0, 'degrading'],
    [0, 5, 'improving'],
  ] as const)('%p after %p is %s', (current, previous, expected) => {
    expect(classifyTrend(current, previous, T)).toBe(expected);
  });

  it('changePercent never returns Infinity or NaN', () => {
    expect(changePercent(5, 0)).toBe(100);
    expect(changePercent(0, 0)).toBe(0);
    expect(changePercent(150, 100)).toBe(50);
  });
});
