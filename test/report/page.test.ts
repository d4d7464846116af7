import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildReport,
  MetricsAggregator,
  MetricType,
  renderHtmlReport,
  startAgentTelemetry,
  withExecution,
  phase,
  type AgentTelemetry,
  type ReportSnapshot,
} from '../../src';
import { resetForTests } from '../../src/setup/reset-for-tests';
import { describeWithPrograms } from '../support/external-program';
import { startLoopbackServer } from '../support/loopback-server';
import { sleep } from '../support/time';
import { launchChromium, layoutProblems, openPage, SHOTS_DIR, type Browser } from './chromium';
import { METRIC_LABELS } from '../../src/report/format';
import { windowedReport } from './windowed';

// The report page in a real headless Chromium: served live by startAgentTelemetry({ report }) for
// executions of a real agent (collectors, phases, a fetch() seen by the undici instrumentation).

const EVIL_PHASE = '<img src=x onerror="window.__pwned=1">';
const EVIL_BREAKOUT = '</script><script>window.__pwned=2</script>';
const SECRET = 'sk-live-DO-NOT-SHOW-4242';

async function oneExecution(upstream: string, i: number): Promise<void> {
  await withExecution('support_bot', async (c) => {
    await c.measure('queue_wait', MetricType.QUEUE_WAIT, () => sleep(2 + (i % 3)));
    await c.measure('plan', MetricType.LLM_PROCESSING, async () => {
      await sleep(4);
      c.recordFirstToken();
      await sleep(6 + (i === 3 ? 60 : 0));
    });
    await phase(EVIL_PHASE, () => sleep(2), { apiToken: SECRET, note: EVIL_BREAKOUT });
    await phase('search', async () => {
      await (await fetch(`${upstream}/v1/search?q=${i}`)).text();
    });
    await c.measure('lookup', MetricType.DATABASE_QUERY, () => sleep(1));
  });
}

describeWithPrograms('the report page in Chromium', { chromium: 'chromium' }, ({ chromium }) => {
  let browser: Browser;
  let telemetry: AgentTelemetry;
  let upstream: Awaited<ReturnType<typeof startLoopbackServer>>;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'agent-timing-report-'));

  beforeAll(async () => {
    resetForTests();
    mkdirSync(SHOTS_DIR, { recursive: true });
    upstream = await startLoopbackServer(undefined, 3);
    telemetry = startAgentTelemetry({
      serviceName: 'report-test',
      prometheus: { host: '127.0.0.1', port: 0 },
      report: { traceUiUrl: 'http://localhost:16686/trace/{traceId}', pollMs: 300, printUrl: false, recentExecutions: 8, slowestExecutions: 3 },
    });
    url = (await telemetry.reportEndpoint).url!;
    for (let i = 0; i < 12; i++) await oneExecution(upstream.url, i);
    browser = await launchChromium(chromium);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await telemetry?.shutdown();
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the page with a restrictive Content-Security-Policy, and its JSON', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/report$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).toContain('<meta http-equiv="Content-Security-Policy"');
    expect(html).not.toContain(SECRET);
    expect(html).not.toContain(EVIL_BREAKOUT);
    const json = (await (await fetch(`${url}.json`)).json()) as ReportSnapshot;
    expect(json.report.executions).toHaveLength(12);
    expect(Object.keys(json.waterfalls).length).toBeLessThanOrEqual(8 + 3);
    expect(JSON.stringify(json)).not.toContain(SECRET);
    const rows = Object.values(json.waterfalls)[0];
    expect(rows.find((r) => r.name === EVIL_PHASE)?.attributes?.apiToken).toBe('[REDACTED]');
    expect(rows.some((r) => r.kind === 'span' && r.name.startsWith('GET'))).toBe(true);
  });

  it('draws without console errors, runs no injected script, and shows names as text', async () => {
    const { page, errors } = await openPage(browser, 1440, 900);
    await page.goto(url);
    await page.waitForSelector('#executions .col');
    await page.waitForSelector('#waterfall .wf-row');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#waterfall .wf-row .txt', { hasText: EVIL_PHASE }).count()).toBeGreaterThan(0);
    expect(await page.locator('#waterfall img').count()).toBe(0);
    // The row's details show the redacted attribute and the note as text.
    await page.locator('#waterfall .wf-row', { hasText: EVIL_PHASE }).first().click();
    const details = await page.locator('#waterfall .wf-detail').innerText();
    expect(details).toContain('[REDACTED]');
    expect(details).toContain(EVIL_BREAKOUT);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#waterfall a[href^="http://localhost:16686/trace/"]').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS_DIR, 'live-1440.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('opens a chosen execution’s waterfall by keyboard alone, and puts it in the URL hash', async () => {
    const { page, errors } = await openPage(browser, 1440, 900);
    await page.goto(url);
    await page.waitForSelector('#executions .col');
    const snap = (await (await fetch(`${url}.json`)).json()) as ReportSnapshot;
    const ordered = [...snap.report.executions].sort((a, b) => a.startOffsetMs - b.startOffsetMs);
    const target = ordered.findIndex((e, i) => i > 0 && snap.waterfalls[e.executionId] && e.executionId !== snap.report.slowest?.executionId);
    expect(target).toBeGreaterThan(0);
    let onColumn = false;
    for (let i = 0; i < 60 && !onColumn; i++) {
      await page.keyboard.press('Tab');
      onColumn = await page.evaluate(() => document.activeElement?.matches('#executions .col') ?? false);
    }
    expect(onColumn).toBe(true);
    // Focus shows the column's tooltip; Escape dismisses it.
    await page.waitForSelector('#tooltip.on');
    await page.keyboard.press('Escape');
    expect(await page.locator('#tooltip.on').count()).toBe(0);
    await page.keyboard.press('Home');
    for (let i = 0; i < target; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const id = ordered[target].executionId;
    await page.waitForFunction((h) => location.hash === h, `#exec=${encodeURIComponent(id)}`);
    await page.waitForFunction(() => document.activeElement?.matches('#waterfall .wf-row') ?? false);
    // Down to a phase, Enter: its details.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#waterfall .wf-detail');
    // Left on the root collapses it; Right expands it again.
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowLeft');
    expect(await page.locator('#waterfall .wf-row').count()).toBe(1);
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('#waterfall .wf-row').count()).toBeGreaterThan(4);
    // A reload with the hash opens the same execution.
    await page.reload();
    await page.waitForSelector('#waterfall .wf-row');
    expect(await page.locator('#waterfall .wf-title').innerText()).toContain(id.slice(0, 8));
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('is readable at 390 × 844: no horizontal overflow, no text under 10 px', async () => {
    const { page, errors } = await openPage(browser, 390, 844);
    await page.goto(url);
    await page.waitForSelector('#waterfall .wf-row');
    const p = await layoutProblems(page, 10);
    expect(p.scrollWidth).toBeLessThanOrEqual(p.clientWidth);
    expect(p.small).toEqual([]);
    await page.screenshot({ path: join(SHOTS_DIR, 'live-390.png'), fullPage: true });
    // A tap shows a tooltip (with a close button) that a tap elsewhere dismisses. The tap's events
    // as a touch screen sends them (pointerdown with pointerType touch, then click), dispatched in the
    // page: the shared browser context has no touch emulation.
    const tap = (selector: string) =>
      page.evaluate((sel) => {
        const el = document.querySelector(sel)!;
        el.scrollIntoView({ block: 'center' }); // a finger taps what is on the screen
        const r = el.getBoundingClientRect();
        const at = { bubbles: true, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 };
        el.dispatchEvent(new PointerEvent('pointerdown', { ...at, pointerType: 'touch' }));
        el.dispatchEvent(new MouseEvent('click', at));
      }, selector);
    await tap('#executions .col');
    await page.waitForSelector('#tooltip.on button.close');
    await tap('#footer');
    expect(await page.locator('#tooltip.on').count()).toBe(0);
    await tap('#executions .col');
    await page.locator('#tooltip.on button.close').click();
    expect(await page.locator('#tooltip.on').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('updates live after new executions complete', async () => {
    const { page, errors } = await openPage(browser, 1024, 800);
    await page.goto(url);
    await page.waitForSelector('#executions .col');
    const before = await page.locator('#headline').innerText();
    expect(before).toMatch(/^12 executions/);
    await oneExecution(upstream.url, 100);
    await oneExecution(upstream.url, 101);
    await page.waitForFunction(() => /^14 executions/.test(document.getElementById('headline')?.textContent ?? ''), undefined, { timeout: 20_000 });
    expect(await page.locator('#live').innerText()).toContain('live');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('a saved page (the CSP in a meta tag) works from a file, with the same checks', async () => {
    const snap = (await (await fetch(`${url}.json`)).json()) as ReportSnapshot;
    const file = join(dir, 'report.html');
    writeFileSync(file, renderHtmlReport(snap.report, snap.waterfalls));
    for (const [w, h] of [[1440, 900], [390, 844]]) {
      const { page, errors } = await openPage(browser, w, h);
      await page.goto(`file://${file}`);
      await page.waitForSelector('#waterfall .wf-row');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      const p = await layoutProblems(page, 10);
      expect(p.scrollWidth).toBeLessThanOrEqual(p.clientWidth);
      expect(p.small).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 60_000);

  it('the window selector switches shares, bottlenecks, anomalies, trends, SLOs and percentiles to that window', async () => {
    const { report, recent, planted } = windowedReport();
    const file = join(dir, 'windows.html');
    writeFileSync(file, renderHtmlReport(report, {}));
    const view = (name: string) => report.windows!.find((w) => w.window === name)!;
    const { page, errors } = await openPage(browser, 1440, 900);
    await page.goto(`file://${file}`);
    await page.waitForSelector('#breakdown .winbar');
    const text = (id: string) => page.locator(`#${id}`).innerText();
    const firstCell = (id: string) => page.locator(`#${id} tbody tr`).first().locator('td').first().innerText();
    const firstColumn = async (id: string) => (await page.locator(`#${id} tbody tr`).allInnerTexts()).map((r) => r.split('\t')[0].trim());
    const labels = (name: string) => view(name).bottlenecks!.slice(0, 8).map((b) => METRIC_LABELS[b.metricType]);
    // The hour by default: 60 executions, mostly tools, the planted slow tool flagged.
    expect(await page.locator('#breakdown .winbar button[aria-pressed="true"]').innerText()).toBe('1h');
    expect(await text('breakdown')).toContain('1h: 60 executions');
    expect(await firstCell('breakdown')).toContain('Tool execution');
    expect(await firstColumn('bottlenecks')).toEqual(labels('1h'));
    expect(labels('1h')[0]).toBe('Tool execution');
    expect(await text('anomalies')).toContain(planted.slice(0, 6));
    expect(await text('anomalies')).toMatch(/flagged/);
    const hourTrends = await page.locator('#trends tbody').innerText();
    expect(hourTrends).toContain('degrading');
    const hourSlo = await page.locator('#slo .slo-cards').innerText();
    // By keyboard: focus the 1m button of the shares' selector and press Enter.
    await page.locator('#breakdown .winbar button[data-window="1m"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /^1m:/.test(document.querySelector('#breakdown header .note')?.textContent ?? ''));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-window'))).toBe('1m'); // focus kept
    expect(await page.locator('#slo .winbar button[aria-pressed="true"]').innerText()).toBe('1m');
    expect(await text('breakdown')).toContain(`1m: ${recent.length} executions`);
    expect(await firstCell('breakdown')).toContain('LLM processing');
    expect(await firstColumn('bottlenecks')).toEqual(labels('1m'));
    expect(labels('1m')[0]).not.toBe(labels('1h')[0]);
    expect(await text('anomalies')).not.toContain(planted.slice(0, 6));
    expect(await text('anomalies')).toContain('0 executions flagged');
    const minuteTrends = await page.locator('#trends tbody').innerText();
    expect(minuteTrends).not.toContain('degrading');
    expect(minuteTrends).not.toBe(hourTrends);
    expect(await page.locator('#slo .slo-cards').innerText()).not.toBe(hourSlo);
    expect(await page.locator('#percentiles tbody tr').first().locator('td').nth(1).innerText()).toBe(String(view('1m').percentiles[0].count));
    expect(await page.locator('#kpis').innerText()).toMatch(/· 1m/);
    await page.screenshot({ path: join(SHOTS_DIR, 'windows-1m-1440.png'), fullPage: true });
    // And back by a click on the SLO section's selector.
    await page.locator('#slo .winbar button[data-window="1h"]').click();
    expect(await text('breakdown')).toContain('1h: 60 executions');
    expect(await page.locator('#trends tbody').innerText()).toBe(hourTrends);
    expect(errors).toEqual([]);
    await page.close();
    // On a phone the selectors fit too.
    const phone = await openPage(browser, 390, 844);
    await phone.page.goto(`file://${file}`);
    await phone.page.locator('#breakdown .winbar button[data-window="5m"]').click();
    await phone.page.waitForFunction(() => /^5m:/.test(document.querySelector('#breakdown header .note')?.textContent ?? ''));
    const p = await layoutProblems(phone.page, 10);
    expect(p.scrollWidth).toBeLessThanOrEqual(p.clientWidth);
    expect(p.small).toEqual([]);
    await phone.page.screenshot({ path: join(SHOTS_DIR, 'windows-5m-390.png'), fullPage: true });
    expect(phone.errors).toEqual([]);
    await phone.page.close();
  }, 60_000);

  it('draws a long run as at most one column per 4 px, grouped, and stays within the page at 390 px', async () => {
    // 3 000 executions: far more than the page draws one by one.
    const executions = Array.from({ length: 3000 }, (_, i) => ({
      breakdown: {
        executionId: `run-1-${String(i).padStart(4, '0')}`, agentName: 'bot', totalMs: 100 + (i % 97), initializationMs: 0, toolExecutionMs: 0,
        llmProcessingMs: 60 + (i % 97), websocketNotificationMs: 0, databaseQueryMs: 20, externalApiMs: 20, queueWaitMs: 0, overheadMs: 0,
        uncategorizedMs: 0, phases: {}, startedAt: 1_700_000_000_000 + i * 50, completed: true, outcome: 'success' as const, openPhases: [], foreignSpanCount: 0,
      },
    }));
    const report = buildReport({ executions, aggregator: new MetricsAggregator() });
    const file = join(dir, 'long.html');
    writeFileSync(file, renderHtmlReport(report, {}));
    for (const [w, h] of [[1440, 900], [390, 844]]) {
      const { page, errors } = await openPage(browser, w, h);
      await page.goto(`file://${file}`);
      await page.waitForSelector('#executions .col');
      const cols = await page.locator('#executions .col').count();
      expect(cols).toBeLessThanOrEqual(Math.min(300, Math.floor(w / 4)));
      expect(cols).toBeGreaterThan(10);
      expect(await page.locator('#executions .legend').innerText()).toMatch(/executions per column/);
      const p = await layoutProblems(page, 10);
      expect(p.scrollWidth).toBeLessThanOrEqual(p.clientWidth);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 60_000);
});
