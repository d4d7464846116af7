import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

/** The ```ts blocks of docs/frameworks.md. */
function blocks(): string[] {
  const doc = readFileSync(join(ROOT, 'docs/frameworks.md'), 'utf8');
  return [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('docs/frameworks.md code blocks', () => {
  it('are there', () => expect(blocks().length).toBeGreaterThanOrEqual(2));

  // Run against the built package as a user's ES module would (they use no TypeScript-only syntax).
  it.each(blocks().map((code, i) => [i + 1, code]))('block %i runs', async (i, code) => {
    const dir = join(ROOT, 'dist', '.docs-snippets');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `frameworks-${String(i)}.mjs`);
    writeFileSync(file, String(code));
    const { stderr } = await run(process.execPath, [file], { cwd: ROOT, timeout: 30_000, env: { ...process.env, OTEL_LOG_LEVEL: 'error' } });
    expect(stderr).toBe('');
  });
});
