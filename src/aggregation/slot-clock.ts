import {
  FINE_SLOT_MS,
  FINE_SLOTS_KEPT,
  MEDIUM_SLOT_MS,
  MEDIUM_SLOTS_KEPT,
  retentionStart,
} from './slot-layout';

// Module-local copies of the layout (levelOf runs per late write; a re-exported binding can cost a
// getter call per read under some loaders, e.g. tsx/esbuild CommonJS interop).
const FINE = FINE_SLOT_MS;
const MEDIUM = MEDIUM_SLOT_MS;

/**
 * Where "now" is in slot terms, shared by every series of an aggregator: which fine slot is
 * current, where each level's span begins, and where retention begins. Recomputed only when the
 * clock crosses into a new fine slot.
 */
export class SlotClock {
  /** Latest clock reading (epoch ms); never moves backwards. */
  nowMs = -Infinity;
  /** Current fine slot number. */
  cur0 = Number.NEGATIVE_INFINITY;
  /** Oldest fine slot number kept at the fine level. */
  fineHorizon = 0;
  /** Oldest medium slot number kept at the medium level. */
  mediumHorizon = 0;
  /** Oldest retained time, epoch ms. */
  retentionStartMs = 0;
  /** Start of the current fine slot, epoch ms. */
  curStartMs = Infinity;

  constructor(private readonly retentionSlots: number) {}

  /**
   * Moves to `nowMs` (ignored when it is earlier than the last reading: a clock stepping back
   * must not un-expire slots or reopen closed ones). Returns true when the fine slot changed,
   * i.e. when slots must rotate.
   */
  advance(nowMs: number): boolean {
    if (nowMs > this.nowMs) this.nowMs = nowMs;
    const cur0 = Math.floor(this.nowMs / FINE_SLOT_MS);
    if (cur0 === this.cur0) return false;
    this.cur0 = cur0;
    this.curStartMs = cur0 * FINE_SLOT_MS;
    this.fineHorizon = cur0 - (FINE_SLOTS_KEPT - 1);
    this.mediumHorizon = Math.floor(this.nowMs / MEDIUM_SLOT_MS) - (MEDIUM_SLOTS_KEPT - 1);
    this.retentionStartMs = retentionStart(this.nowMs, this.retentionSlots);
    return true;
  }

  /** Level (0 fine, 1 medium, 2 coarse) where a retained timestamp belongs. */
  levelOf(t: number): 0 | 1 | 2 {
    if (Math.floor(t / FINE) >= this.fineHorizon) return 0;
    if (Math.floor(t / MEDIUM) >= this.mediumHorizon) return 1;
    return 2;
  }
}
