import { categoryShares } from '../../src/analysis/breakdown-shares';
import { DEFAULT_RECOMMENDATION_THRESHOLDS, ms, recommend } from '../../src/analysis/recommendations';
import type { TimingBreakdown } from '../../src/breakdown/timing-breakdown';
import { breakdown } from '../aggregation/support';

function advise(b: TimingBreakdown, thresholds = DEFAULT_RECOMMENDATION_THRESHOLDS): string[] {
  return recommend(b, categoryShares(b), thresholds);
}

describe('recommendations', () => {
  it('LLM-dominated execution: streaming, prompt caching, a smaller model — with the numbers', () => {
    const [r, ...rest] = advise(breakdown({ totalMs: 4000, llmProcessingMs: 3000, toolExecutionMs: 500, initializationMs: 100 }));
    expect(rest).toEqual([]);
    expect(r).toContain('LLM processing took 3000 ms (75% of the 4000 ms execution)');
    expect(r).toMatch(/stream the response/);
    expect(r).toMatch(/prompt caching/);
    expect(r).toMatch(/smaller, faster/);
  });

  it.each([
    ['queueWaitMs', 'Work waited 300 ms in queues (30%)', /concurrency limit or add workers/],
    ['databaseQueryMs', 'Database queries took 300 ms (30%)', /indexes.*batch.*pool/],
    ['externalApiMs', 'External API calls took 300 ms (30%)', /in parallel.*cache.*timeouts/],
    ['toolExecutionMs', 'Tool execution took 300 ms (30%)', /parallel tool calls/],
    ['initializationMs', 'Initialization took 300 ms (30%)', /warm pools/],
    ['websocketNotificationMs', 'WebSocket notifications took 300 ms (30%)', /without awaiting delivery|batch/],
    ['overheadMs', '300 ms (30%) of the execution is covered by no phase or span', /wrap the uncovered code in phases/],
    ['uncategorizedMs', '300 ms (30%) ran in phases without a category', /metadata\.category/],
  ])('%s at 30 %% gets its specific advice', (field, head, body) => {
    const b = breakdown({ totalMs: 1000, [field]: 300, llmProcessingMs: 100 });
    if (field !== 'overheadMs') b.overheadMs = 600;
    const texts = advise(b).filter((t) => t.includes(head));
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatch(body);
  });

  it('names the largest uncategorized phases', () => {
    const b = breakdown({ totalMs: 1000, uncategorizedMs: 800, phases: { rerank: 500, format: 300, database_query: 900 } });
    expect(advise(b)[0]).toContain('(largest: rerank 500 ms, format 300 ms)');
  });

  it('slow first token', () => {
    const texts = advise(breakdown({ totalMs: 3000, ttftMs: 1800, llmProcessingMs: 1000, toolExecutionMs: 800, externalApiMs: 700, databaseQueryMs: 500 }));
    const ttft = texts.find((t) => t.startsWith('The first token arrived after 1800 ms (60% into the 3000 ms execution)'));
    expect(ttft).toMatch(/stream the response, shorten the prompt/);
  });

  it('no filler: a balanced, fast or empty execution gets nothing', () => {
    expect(advise(breakdown({ totalMs: 1000, llmProcessingMs: 400, toolExecutionMs: 250, databaseQueryMs: 150, externalApiMs: 150, initializationMs: 50 }))).toEqual([]);
    expect(advise(breakdown({ totalMs: 5, overheadMs: 5 }))).toEqual([]); // below minTotalMs
    expect(advise(breakdown({ totalMs: 0 }))).toEqual([]);
  });

  it('orders recommendations by the time behind them and honours custom thresholds', () => {
    const b = breakdown({ totalMs: 1000, databaseQueryMs: 250, queueWaitMs: 400, llmProcessingMs: 350 });
    expect(advise(b).map((t) => t.split(' ')[0])).toEqual(['Work', 'Database']);
    expect(advise(b, { ...DEFAULT_RECOMMENDATION_THRESHOLDS, llmProcessingPercent: 30, queueWaitPercent: 50 }).map((t) => t.split(' ')[0])).toEqual(['LLM', 'Database']);
  });

  it('formats milliseconds for sentences', () => {
    expect(ms(1234.56)).toBe('1235');
    expect(ms(12.34)).toBe('12.3');
    expect(ms(5)).toBe('5');
  });
});
