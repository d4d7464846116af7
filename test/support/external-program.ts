import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Tests that need a real program (promtool, prometheus). In CI (`CI=true`) a missing program is a
 * failure: CI must install it. Elsewhere the tests are replaced by one passing test whose name and
 * console output say what was skipped and which Debian package to install, so a skip is visible in
 * the jest report instead of silently shrinking the suite.
 */

/** Absolute path of `name` on PATH, or undefined. */
export function findProgram(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function missingMessage(name: string, debianPackage: string): string {
  return `${name} not found on PATH; install the Debian package "${debianPackage}" (apt-get install ${debianPackage})`;
}

/**
 * The path of `name`. When it is missing: throws in CI; otherwise logs a warning naming the Debian
 * package and returns undefined, so the caller can skip.
 */
export function requireProgram(name: string, debianPackage: string): string | undefined {
  const path = programOrSkip(name, debianPackage);
  if (!path) console.warn(`SKIPPED: ${missingMessage(name, debianPackage)}`);
  return path;
}

/** requireProgram without the warning (the caller reports the skip). */
function programOrSkip(name: string, debianPackage: string): string | undefined {
  const path = findProgram(name);
  if (path) return path;
  if (process.env.CI === 'true') throw new Error(`${missingMessage(name, debianPackage)}. CI must provide it.`);
  return undefined;
}

/**
 * `describe(title, …)` whose body gets the paths of the programs. When one is missing outside CI,
 * the body is replaced by a single test named "skipped: …" that logs why and passes; in CI the
 * missing program throws while the suite is collected, which fails it.
 */
export function describeWithPrograms(
  title: string,
  programs: Record<string, string>,
  body: (paths: Record<string, string>) => void,
): void {
  const paths: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, debianPackage] of Object.entries(programs)) {
    const path = programOrSkip(name, debianPackage);
    if (path) paths[name] = path;
    else missing.push(missingMessage(name, debianPackage));
  }
  describe(title, () => {
    if (missing.length === 0) {
      body(paths);
      return;
    }
    it(`skipped: ${missing.join('; ')}`, () => {
      console.warn(`SKIPPED "${title}": ${missing.join('; ')}`);
    });
  });
}
