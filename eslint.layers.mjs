// Which src/ folder may import which: data flows one way through the pipeline (docs/architecture.md).
// Shared by eslint.config.mjs and by test/lint/layers.test.ts, which proves an upward import fails.
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** The folders each folder must not import, bottom of the pipeline first. */
export const FORBIDDEN_IMPORTS = {
  types: ['internal', 'timing', 'otel', 'aggregation', 'analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  internal: ['types', 'timing', 'otel', 'aggregation', 'analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  // timing ⇄ otel still import each other (the collector makes spans and records histograms); the
  // completion hook is where that cycle is to be cut.
  timing: ['aggregation', 'analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  otel: ['analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  aggregation: ['otel', 'analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  analysis: ['otel', 'agents', 'slo', 'report', 'setup', 'cli'],
  slo: ['aggregation', 'analysis', 'agents', 'report', 'setup', 'cli'],
  agents: ['slo', 'report', 'setup', 'cli'],
  // The report renders what the layers below produce (resource samples included).
  report: ['setup', 'cli'],
  // startAgentTelemetry wires every layer together for a process; only the bin sits above it.
  setup: ['agents', 'cli'],
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
