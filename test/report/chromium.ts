import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium, headless, with nothing that reaches the network on its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where the tests write screenshots for a person to look at (not committed). */
export const SHOTS_DIR = process.env.AGENT_TIMING_SHOTS ?? join(tmpdir(), 'agent-timing-shots');

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches chromium with a fresh user-data-dir, removed on close. */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'agent-timing-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  return {
    context,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new page that records console errors and uncaught exceptions. */
export async function openPage(b: Browser, width: number, height: number): Promise<{ page: Page; errors: string[] }> {
  const page = await b.context.newPage();
  await page.setViewportSize({ width, height });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { page, errors };
}

/** Horizontal overflow of the page and every visible text smaller than `minPx`. */
export async function layoutProblems(page: Page, minPx: number): Promise<{ scrollWidth: number; clientWidth: number; small: string[] }> {
  return page.evaluate((min) => {
    const small: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || !(n.textContent ?? '').trim()) continue;
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (rect.width === 0 || rect.height === 0 || style.visibility === 'hidden' || style.display === 'none') continue;
      if (el.closest('.sr-only, #tooltip, noscript, script, style')) continue;
      // SVG text is drawn at its CSS size: the charts are laid out at the page's width, never scaled.
      const svg = el.closest('svg');
      const scale = svg ? svg.getBoundingClientRect().width / (svg.viewBox.baseVal?.width || svg.getBoundingClientRect().width) : 1;
      const px = parseFloat(style.fontSize) * scale;
      if (px < min) small.push(`${el.tagName} "${(n.textContent ?? '').trim().slice(0, 30)}" ${px.toFixed(1)}px`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, small };
  }, minPx);
}
