// Which src/ folder may import which: data flows one way through the pipeline (docs/architecture.md).
// Shared by eslint.config.mjs and by test/lint/layers.test.ts, which proves an upward import fails.
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** The folders each folder must not import, bottom of the pipeline first. */
export const FORBIDDEN_IMPORTS = {
  types: ['internal', 'timing', 'otel', 'aggregation', 'analysis', 'agents', 'slo', 'cli', 'report'],
  internal: ['types', 'timing', 'otel', 'aggregation', 'analysis', 'agents', 'slo', 'cli', 'report'],
  // timing ⇄ otel still import each other (the collector makes spans and records histograms); the
  // completion hook is where that cycle is to be cut.
  timing: ['aggregation', 'analysis', 'agents', 'slo', 'cli', 'report'],
  otel: ['analysis', 'agents', 'slo', 'cli', 'report'],
  aggregation: ['otel', 'analysis', 'agents', 'slo', 'cli', 'report'],
  analysis: ['otel', 'agents', 'slo', 'cli', 'report'],
  slo: ['aggregation', 'analysis', 'agents', 'cli', 'report'],
  agents: ['slo', 'cli', 'report'],
  report: ['agents', 'cli'],
};

const zones = Object.entries(FORBIDDEN_IMPORTS).flatMap(([target, froms]) =>
  froms.map((from) => ({
    target: `./src/${target}`,
    from: `./src/${from}`,
    message: `src/${target} must not import src/${from}: dependencies run one way (docs/architecture.md).`,
  })),
);

export const layersConfig = {
  files: ['src/**/*.ts'],
  languageOptions: { parser: tseslint.parser },
  plugins: { 'import-x': importX },
  settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.d.ts', '.js'] })] },
  rules: {
    'import-x/no-restricted-paths': ['error', { zones, basePath: import.meta.dirname }],
    // Runtime cycles between modules (type-only imports are allowed: they vanish at run time).
    'import-x/no-cycle': ['error', { ignoreExternal: true }],
  },
};
