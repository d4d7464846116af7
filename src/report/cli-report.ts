import { readFileSync, writeFileSync } from 'node:fs';
import { ansiColors, colorEnabled } from './format';
import { renderHtmlReport } from './html';
import { REPORT_SCHEMA, type AgentReport, type WaterfallRow } from './model';
import { renderTerminalReport } from './terminal';

/** A saved report: the demo's `--json` (a report) or the live `/report.json` (report and waterfalls). */
export function readSavedReport(text: string): { report: AgentReport; waterfalls: Record<string, WaterfallRow[]> } {
  const parsed = JSON.parse(text) as Partial<AgentReport> & { report?: AgentReport; waterfalls?: Record<string, WaterfallRow[]> };
  const report = parsed.report && typeof parsed.report === 'object' ? parsed.report : (parsed as AgentReport);
  if (report?.schema !== REPORT_SCHEMA) {
    throw new Error(`not an agent-timing report (its "schema" must be "${REPORT_SCHEMA}"; save one with the demo's --json or from the live page's /report.json)`);
  }
  if (!Array.isArray(report.executions) || typeof report.run !== 'object' || !Array.isArray(report.slo)) throw new Error('the report is incomplete (run, executions or slo missing)');
  const waterfalls: Record<string, WaterfallRow[]> = { ...(parsed.report ? (parsed.waterfalls ?? {}) : {}) };
  if (report.slowest?.waterfall?.length && !waterfalls[report.slowest.executionId]) waterfalls[report.slowest.executionId] = report.slowest.waterfall;
  return { report, waterfalls };
}

/** `agent-timing report FILE [--html OUT]`: the terminal text, or the page. Returns the exit code. */
export function reportCommand(file: string, html: string | undefined, stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream): number {
  let saved;
  try {
    saved = readSavedReport(readFileSync(file, 'utf8'));
  } catch (err) {
    stderr.write(`agent-timing: ${file}: ${(err as Error).message}\n`);
    return 1;
  }
  if (html) {
    try {
      writeFileSync(html, renderHtmlReport(saved.report, saved.waterfalls));
    } catch (err) {
      stderr.write(`agent-timing: cannot write ${html}: ${(err as Error).message}\n`);
      return 1;
    }
    stderr.write(`agent-timing: wrote ${html} (${Object.keys(saved.waterfalls).length} waterfalls, ${saved.report.executions.length} executions)\n`);
    return 0;
  }
  stdout.write(renderTerminalReport(saved.report, ansiColors(colorEnabled(stdout)), stdout.columns ?? 100));
  return 0;
}
