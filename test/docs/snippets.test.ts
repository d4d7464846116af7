import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Every TypeScript block in README.md and docs/*.md is type-checked against the package's sources,
// as a user would paste it into an ES module (top-level await allowed), so the docs cannot drift from
// the API. A block that is not a whole program says so with an HTML comment on the line above it:
// `<!-- snippet: prelude <declarations> -->` prepends code (e.g. `const collector: …`).

const ROOT = path.resolve(__dirname, '..', '..');

interface Snippet {
  file: string;
  line: number;
  code: string;
}

export function extractSnippets(file: string): Snippet[] {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end].startsWith('```')) end++;
    const declare = /^<!-- snippet: prelude (.*) -->$/.exec(lines[i - 1] ?? '')?.[1] ?? '';
    snippets.push({ file: path.relative(ROOT, file), line: start + 1, code: `${declare}\n${lines.slice(start, end).join('\n')}\nexport {};\n` });
    i = end;
  }
  return snippets;
}

function documentationFiles(): string[] {
  const docs = path.join(ROOT, 'docs');
  return [path.join(ROOT, 'README.md'), ...fs.readdirSync(docs).filter((f) => f.endsWith('.md')).map((f) => path.join(docs, f))];
}

describe('documentation snippets', () => {
  const snippets = documentationFiles().flatMap(extractSnippets);

  it('finds the snippets (the README has its ten lines and its telemetry line)', () => {
    expect(snippets.filter((s) => s.file === 'README.md').length).toBeGreaterThanOrEqual(2);
  });

  it('every TypeScript block type-checks against the package', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-timing-snippets-'));
    try {
      const names = snippets.map((s, i) => {
        const name = `${String(i).padStart(3, '0')}-${s.file.replace(/[/.]/g, '_')}-L${s.line}.ts`;
        fs.writeFileSync(path.join(dir, name), s.code);
        return name;
      });
      const tsconfig = {
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'bundler',
          lib: ['ES2022', 'ESNext.Disposable', 'DOM'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          esModuleInterop: true,
          types: ['node'],
          typeRoots: [path.join(ROOT, 'node_modules', '@types')],
          baseUrl: ROOT,
          paths: {
            'agent-timing': ['src/index.ts'],
            'agent-timing/langchain': ['src/agents/langchain/index.ts'],
            '*': ['node_modules/@types/*', 'node_modules/*'],
          },
        },
        files: names,
      };
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
      const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      let output = '';
      try {
        execFileSync(process.execPath, [tsc, '-p', '.', '--pretty', 'false'], { cwd: dir, encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        const e = error as { stdout?: string; stderr?: string };
        output = `${e.stdout ?? ''}${e.stderr ?? ''}`;
      }
      // Map each error back to the documentation file and line it came from.
      const located = output.replace(/^(\d{3})-[^(]*\.ts\((\d+),(\d+)\)/gm, (_m, index: string, line: string) => {
        const s = snippets[Number(index)];
        return `${s.file}:${s.line + Number(line) - 2}`;
      });
      expect(located).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('every relative link in README.md and docs/ points at a file that exists', () => {
    const broken: string[] = [];
    for (const file of documentationFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/i.test(target)) continue; // http:, https:, mailto:
        if (!fs.existsSync(path.resolve(path.dirname(file), target))) broken.push(`${path.relative(ROOT, file)} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
