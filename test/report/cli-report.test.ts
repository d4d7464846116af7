import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// `agent-timing report FILE [--html OUT]` from the built package, on a report saved by a real run
// (the demo's --json format and the live /report.json format).

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cjs', 'cli', 'main.js');

function makeReport(dir: string): { bare: string; live: string } {
  // Runs real executions in a child process (fresh global state) and saves both formats.
  const script = `
    const { startAgentTelemetry, withExecution, phase } = require(${JSON.stringify(join(root, 'dist', 'cjs', 'index.js'))});
    const { writeFileSync } = require('node:fs');
    (async () => {
      const t = startAgentTelemetry({ prometheus: { host: '127.0.0.1', port: 0 }, report: { printUrl: false } });
      const url = (await t.reportEndpoint).url;
      for (let i = 0; i < 5; i++) await withExecution('bot', async () => { await phase('<b>step</b>', () => new Promise((r) => setTimeout(r, 3 + i))); });
      const snap = await (await fetch(url + '.json')).json();
      writeFileSync(${JSON.stringify(join(dir, 'live.json'))}, JSON.stringify(snap));
      writeFileSync(${JSON.stringify(join(dir, 'bare.json'))}, JSON.stringify(snap.report));
      await t.shutdown();
    })();`;
  execFileSync(process.execPath, ['-e', script], { stdio: 'pipe', timeout: 60_000 });
  return { bare: join(dir, 'bare.json'), live: join(dir, 'live.json') };
}

describe('agent-timing report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-timing-cli-report-'));
  let files: { bare: string; live: string };
  beforeAll(() => {
    files = makeReport(dir);
  }, 90_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a saved report as terminal text', () => {
    const r = spawnSync(process.execPath, [cli, 'report', files.bare], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('5 requests to bot');
    expect(r.stdout).toContain('Slowest execution');
    expect(r.stdout).toContain('<b>step</b>'); // text in a terminal is shown as is
  });

  it('writes the HTML page from the live JSON, with every kept waterfall', () => {
    const out = join(dir, 'page.html');
    const r = spawnSync(process.execPath, [cli, 'report', files.live, '--html', out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('5 waterfalls');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toContain('<b>step</b>'); // escaped in the embedded JSON
    expect(html).not.toMatch(/<(script|link|img|iframe)\b[^>]*\b(src|href)=/i);
  });

  it('exits 1 for a file that is not a report, 2 without a file', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');
    const r = spawnSync(process.execPath, [cli, 'report', bad], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not an agent-timing report/);
    const none = spawnSync(process.execPath, [cli, 'report'], { encoding: 'utf8' });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/report needs one saved report file/);
  });
});
