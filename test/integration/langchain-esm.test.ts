import { execFile } from 'node:child_process';
import { join } from 'node:path';

/*
 * An ES-module application imports the ES-module copy of @langchain/core, which Node loads apart
 * from the CommonJS copy agent-timing's build requires. The package's ES-module entry must hand
 * that copy to the run-context wrappers, or spans inside tools are parented elsewhere. Runs the
 * built package (npm test builds first) in a child process, as an application would.
 */
it('in an ES-module application, a span inside a class-based tool is a child of the tool phase', async () => {
  const out = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [join(__dirname, 'langchain-esm-app.mjs')], { cwd: join(__dirname, '..', '..'), timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { toolSpan?: string; clientParent?: string; externalApiMs?: number };
  expect(r.toolSpan).toBeDefined();
  expect(r.clientParent).toBe(r.toolSpan);
  expect(r.externalApiMs).toBeGreaterThanOrEqual(29);
}, 90_000);
