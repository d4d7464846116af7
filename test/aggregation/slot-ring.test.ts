import { SlotRing } from '../../src/aggregation/slot-ring';

describe('SlotRing', () => {
  it('claims free positions and reports occupants of reused ones', () => {
    const ring = new SlotRing(4);
    expect(ring.slotFor(5).index).toBe(5);
    expect(ring.get(5)).toBeDefined();
    expect(ring.get(9)).toBeUndefined(); // same position, other slot number
    expect(ring.slotFor(9).index).toBe(5); // the occupant: the caller must move it out first
  });
});
