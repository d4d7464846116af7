import { categoryShares, efficiencyOf } from '../../src/analysis/breakdown-shares';
import { breakdown } from '../aggregation/support';

describe('categoryShares', () => {
  it('lists categories with time, overhead and uncategorized included, largest first', () => {
    const b = breakdown({ totalMs: 1000, llmProcessingMs: 500, databaseQueryMs: 200, uncategorizedMs: 100 }); // overhead 200
    expect(categoryShares(b)).toEqual([
      { category: 'llm_processing', ms: 500, percent: 50 },
      { category: 'database_query', ms: 200, percent: 20 },
      { category: 'overhead', ms: 200, percent: 20 },
      { category: 'uncategorized', ms: 100, percent: 10 },
    ]);
  });

  it('is empty without time and ignores unusable fields', () => {
    expect(categoryShares(breakdown({ totalMs: 0 }))).toEqual([]);
    expect(categoryShares({ totalMs: 10, llmProcessingMs: Number.NaN, toolExecutionMs: -1, queueWaitMs: 10 })).toEqual([{ category: 'queue_wait', ms: 10, percent: 100 }]);
  });
});

describe('efficiencyOf', () => {
  it('is the breakdown’s own calculateEfficiency(), also for plain objects', () => {
    const b = breakdown({ totalMs: 1000, queueWaitMs: 100, llmProcessingMs: 700 }); // overhead 200
    expect(efficiencyOf(b)).toBe(b.calculateEfficiency());
    expect(efficiencyOf(b)).toBe(70);
    expect(efficiencyOf(b.toJSON())).toBe(70);
    expect(efficiencyOf({})).toBe(100);
  });
});
