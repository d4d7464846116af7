import { SlotClock } from '../../src/aggregation/slot-clock';
import { HOUR, MINUTE, NOON, SECOND } from './support';

describe('SlotClock', () => {
  it('advances only on a new fine slot, never backwards', () => {
    const c = new SlotClock(24);
    expect(c.advance(NOON + 1)).toBe(true);
    expect(c.advance(NOON + 9_999)).toBe(false);
    expect(c.advance(NOON + 10_000)).toBe(true);
    expect(c.advance(NOON)).toBe(false);
    expect(c.nowMs).toBe(NOON + 10_000);
    expect(c.curStartMs).toBe(NOON + 10_000);
    expect(c.retentionStartMs).toBe(NOON - 23 * HOUR);
  });

  it('assigns timestamps to the level that holds them', () => {
    const c = new SlotClock(24);
    c.advance(NOON);
    expect(c.levelOf(NOON - 590 * SECOND)).toBe(0);
    expect(c.levelOf(NOON - 590 * SECOND - 1)).toBe(1);
    expect(c.levelOf(NOON - 55 * MINUTE)).toBe(1);
    expect(c.levelOf(NOON - 55 * MINUTE - 1)).toBe(2);
  });
});
