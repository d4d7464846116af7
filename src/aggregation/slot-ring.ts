import { TimeSlot } from './time-slot';

/**
 * A fixed ring of slots for one level of one metric type: slot number i lives at position
 * i mod size. The owner guarantees that the live slot numbers always span fewer than `size`
 * consecutive values (rotation moves old slots out before new ones need their position), so
 * memory is fixed by configuration, never by traffic.
 */
export class SlotRing {
  readonly slots: TimeSlot[];

  constructor(readonly size: number) {
    this.slots = Array.from({ length: size }, () => new TimeSlot());
  }

  /**
   * The slot for slot number `index`, claimed if free. Returns the occupant instead when the
   * position still holds another slot number; the caller must move that one out first.
   */
  slotFor(index: number): TimeSlot {
    const slot = this.slots[index % this.size];
    if (slot.index === -1) slot.index = index;
    return slot;
  }

  /** The live slot numbered `index`, if any. */
  get(index: number): TimeSlot | undefined {
    const slot = this.slots[index % this.size];
    return slot.index === index ? slot : undefined;
  }
}
