import { TimeSlot } from '../../src/aggregation/time-slot';

const SETTINGS = { relativeAccuracy: 0.01, maxBins: 1024 };

describe('TimeSlot', () => {
  it('creates its sketch with the first value and absorbs other slots', () => {
    const a = new TimeSlot();
    expect(a.sketch).toBeUndefined();
    a.add(5, SETTINGS);
    const b = new TimeSlot();
    b.add(7, SETTINGS);
    b.add(0, SETTINGS);
    a.absorb(b, SETTINGS);
    expect(a.stats).toMatchObject({ count: 3, sum: 12, min: 0, max: 7 });
    expect(a.sketch?.count).toBe(3);
    a.compact();
    expect(a.compacted).toBe(true);
    a.index = 3;
    expect(a.clear()).toBe(3);
    expect(a.index).toBe(-1);
    expect(a.sketch).toBeUndefined();
  });
});
