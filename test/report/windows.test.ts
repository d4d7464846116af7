import { renderTerminalReport } from '../../src/report/terminal';
import { ansiColors } from '../../src/report/format';
import { windowedReport } from './windowed';

// Each of the live report's windows carries its own shares, bottlenecks, anomalies and trends,
// from the aggregator's data for that window (executions fed at controlled times).

describe('the report per aggregator window', () => {
  const { report, recent, planted } = windowedReport();
  const view = (name: string) => report.windows!.find((w) => w.window === name)!;

  it('has the five windows, each with every section', () => {
    expect(report.windows!.map((w) => w.window)).toEqual(['1m', '5m', '1h', '1d', '1w']);
    for (const w of report.windows!) {
      expect(w.breakdown).toBeDefined();
      expect(w.bottlenecks).toBeDefined();
      expect(w.anomalies).toBeDefined();
      expect(w.trends).toBeDefined();
    }
  });

  it('shares by category come from the window: the last minute is LLM and queue, the hour is mostly tools', () => {
    const minute = view('1m').breakdown!;
    const hour = view('1h').breakdown!;
    expect(minute.executions).toBe(recent.length);
    expect(hour.executions).toBe(60);
    expect(minute.categories[0].category).toBe('llm_processing');
    expect(minute.categories.find((c) => c.category === 'tool_execution')!.percent).toBeLessThan(5);
    expect(hour.categories[0].category).toBe('tool_execution');
    // The shares partition the window's time: the overhead row is the rest (2 ms per execution here).
    expect(hour.categories.reduce((a, c) => a + c.percent, 0)).toBeCloseTo(100, 6);
    expect(hour.categories.find((c) => c.category === 'overhead')!.meanMs).toBeCloseTo(2, 6);
    expect(minute.efficiencyPercent).toBeLessThan(hour.efficiencyPercent); // queued in the last minute
  });

  it('bottlenecks, anomalies and trends differ between windows, and the headline is the hour', () => {
    const minute = view('1m');
    const hour = view('1h');
    expect(hour.bottlenecks![0].metricType).toBe('tool_execution');
    expect(minute.bottlenecks!.every((b) => b.count === recent.length)).toBe(true);
    expect(hour.bottlenecks!.find((b) => b.metricType === 'tool_execution')!.count).toBe(60);
    // The planted slow tool is half an hour old: flagged in the hour, not in the last minute.
    expect(hour.anomalies!.planted).toEqual([expect.objectContaining({ executionId: planted, flagged: true })]);
    expect(minute.anomalies!.planted).toEqual([]);
    expect(minute.anomalies!.byType.some((t) => t.worst.executionId === planted)).toBe(false);
    expect(hour.observations).toEqual({ used: 60 * 9 - 60, counted: 60 * 9 - 60 }); // no TTFT: 8 time types each
    expect(minute.observations!.counted).toBe(recent.length * 8);
    expect(minute.trends).not.toEqual(hour.trends);
    expect(report.bottlenecks).toEqual(hour.bottlenecks);
    expect(report.anomalies).toEqual(hour.anomalies);
    expect(report.trends.items).toEqual(hour.trends);
    expect(report.percentiles).toEqual(hour.percentiles);
  });

  it('the terminal (and the CLI) prints the windows side by side', () => {
    const text = renderTerminalReport(report, ansiColors(false), 120);
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('Windows'));
    expect(at).toBeGreaterThan(0);
    const row = (name: string) => lines.slice(at).find((l) => l.trimStart().startsWith(`${name} `))!;
    expect(row('1m')).toMatch(/LLM processing/);
    expect(row('1h')).toMatch(/Tool execution/);
  });
});
