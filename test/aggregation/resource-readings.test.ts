import { ResourceReadings } from '../../src/aggregation/resource-readings';
import { getDropCounts } from '../../src/internal/diag';
import { resetForTests } from '../../src/setup/reset-for-tests';

beforeEach(() => resetForTests());

describe('ResourceReadings', () => {
  it('keeps the newest reading per name by timestamp', () => {
    const r = new ResourceReadings(4);
    r.record('cpuPercent', 10, 200);
    r.record('cpuPercent', 99, 100); // older: ignored
    r.record('cpuPercent', 20, 200); // same time: latest call wins
    expect(r.snapshot()).toEqual({ cpuPercent: 20 });
  });

  it('caps the number of names', () => {
    const r = new ResourceReadings(2);
    expect(r.record('a', 1, 0)).toBe(true);
    expect(r.record('b', 1, 0)).toBe(true);
    expect(r.record('c', 1, 0)).toBe(false);
    expect(r.record('a', 2, 1)).toBe(true); // existing names still update
    expect(r.snapshot()).toEqual({ a: 2, b: 1 });
    expect(getDropCounts()['aggregator-resource-key-limit']).toBe(1);
  });

  it('returns a fresh object each time', () => {
    const r = new ResourceReadings(2);
    r.record('a', 1, 0);
    const s = r.snapshot();
    s.a = 5;
    expect(r.snapshot()).toEqual({ a: 1 });
  });
});
