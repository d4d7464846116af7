import { BREAKDOWN_CATEGORIES, CATEGORY_FIELD, type BreakdownCategory } from '../breakdown/categories';
import { efficiencyScore, type TimingBreakdownData } from '../breakdown/timing-breakdown';

/** One category's share of an execution. */
export interface CategoryShare {
  category: BreakdownCategory;
  ms: number;
  /** ms as a percent of totalMs. */
  percent: number;
}

/**
 * The categories with time (ms > 0), overhead and uncategorized included, largest first (ties in
 * report order). Empty for a breakdown without time. Unusable fields count as 0.
 */
export function categoryShares(b: Partial<TimingBreakdownData>): CategoryShare[] {
  const total = finite(b.totalMs);
  if (total <= 0) return [];
  const out: CategoryShare[] = [];
  for (const category of BREAKDOWN_CATEGORIES) {
    const ms = finite(b[CATEGORY_FIELD[category]]);
    if (ms > 0) out.push({ category, ms, percent: (100 * ms) / total });
  }
  // Array.prototype.sort is stable, so equal shares keep the report order.
  return out.sort((a, b) => b.ms - a.ms);
}

/** Efficiency score of a breakdown or of its plain-object form (see TimingBreakdown.calculateEfficiency). */
export function efficiencyOf(b: Partial<TimingBreakdownData>): number {
  const own = (b as { calculateEfficiency?: unknown }).calculateEfficiency;
  const score =
    typeof own === 'function'
      ? Number(own.call(b))
      : efficiencyScore(finite(b.totalMs), finite(b.queueWaitMs), finite(b.overheadMs));
  return Number.isFinite(score) ? score : 100;
}

/** A finite number ≥ 0, else 0. */
export function finite(v: unknown): number {
  return typeof v === 'number' && v > 0 && v !== Infinity ? v : 0;
}
