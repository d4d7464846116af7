import { DedupeLedger } from '../../src/aggregation/dedupe-ledger';

describe('DedupeLedger', () => {
  it('remembers metric objects per tracking mode', () => {
    const m = {};
    const all = new DedupeLedger(10, 'all');
    expect(all.isDuplicateObject(m, false)).toBe(false);
    expect(all.isDuplicateObject(m, false)).toBe(true);
    const scoped = new DedupeLedger(10, 'withExecutionId');
    expect(scoped.isDuplicateObject(m, false)).toBe(false);
    expect(scoped.isDuplicateObject(m, false)).toBe(false);
    expect(scoped.isDuplicateObject(m, true)).toBe(false);
    expect(scoped.isDuplicateObject(m, true)).toBe(true);
    const none = new DedupeLedger(10, 'none');
    none.isDuplicateObject(m, true);
    expect(none.isDuplicateObject(m, true)).toBe(false);
  });

  it('first source wins per (execution, type)', () => {
    const l = new DedupeLedger(10, 'none');
    expect(l.noteExplicit('a', 3)).toBe(true);
    expect(l.noteExplicit('a', 3)).toBe(true); // more operations of the same type are fine
    expect(l.explicitTypes('a')).toBe(1 << 3);
    l.noteBreakdown('a', (1 << 1) | (1 << 5), 1 << 3);
    expect(l.explicitTypes('a')).toBeUndefined(); // breakdown recorded
    expect(l.noteExplicit('a', 5)).toBe(false); // the breakdown covered type 5
    expect(l.noteExplicit('a', 3)).toBe(true); // type 3 was the explicit source
    expect(l.noteExplicit('a', 7)).toBe(true); // a type the breakdown did not record
  });

  it('holds at most maxExecutions entries and keeps the recently used', () => {
    const l = new DedupeLedger(100, 'none');
    l.noteBreakdown('keep', 1, l.explicitTypes('keep') as number);
    for (let i = 0; i < 10_000; i++) {
      l.noteExplicit(`e${i}`, 0);
      if (i % 40 === 0) l.explicitTypes('keep'); // a read refreshes it
      expect(l.size).toBeLessThanOrEqual(100);
    }
    expect(l.explicitTypes('keep')).toBeUndefined(); // still known as recorded
    expect(l.explicitTypes('e0')).toBe(0); // long forgotten
  });

  it('maxExecutions 0 disables the ledger', () => {
    const l = new DedupeLedger(0, 'none');
    l.noteBreakdown('a', 1, 0);
    expect(l.explicitTypes('a')).toBe(0);
    expect(l.size).toBe(0);
  });
});
