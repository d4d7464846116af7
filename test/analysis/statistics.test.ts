import { mean, meanAbsoluteDeviation, median, medianAbsoluteDeviation, populationStdDev } from '../../src/analysis/statistics';

describe('statistics', () => {
  it('computes the textbook values', () => {
    const v = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(v)).toBe(5);
    expect(populationStdDev(v)).toBe(2);
    expect(median(v)).toBe(4.5);
    expect(median([3, 1, 2])).toBe(2);
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9], 2)).toBe(1);
    expect(meanAbsoluteDeviation([1, 3], 2)).toBe(1);
  });

  it('never returns NaN for empty or single inputs and never sorts the input in place', () => {
    expect([mean([]), populationStdDev([]), median([]), populationStdDev([7])]).toEqual([0, 0, 0, 0]);
    const v = [3, 1, 2];
    median(v);
    expect(v).toEqual([3, 1, 2]);
  });
});
