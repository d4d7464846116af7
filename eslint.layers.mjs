// Which src/ folder may import which: data flows one way through the pipeline (docs/architecture.md).
// Shared by eslint.config.mjs and by test/lint/layers.test.ts, which proves an upward import fails.
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** The folders each folder must not import, bottom of the pipeline first. */
export const FORBIDDEN_IMPORTS = {
  types: ['internal', 'breakdown', 'spans', 'api', 'processor', 'metrics', 'aggregation', 'analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  internal: ['types', 'breakdown', 'spans', 'api', 'processor', 'metrics', 'aggregation', 'analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  // The breakdown maths: intervals in, a partition and a critical path out.
  breakdown: ['spans', 'api', 'processor', 'metrics', 'aggregation', 'analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  spans: ['api', 'processor', 'metrics', 'aggregation', 'analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  // The collector publishes completed executions through one hook (api/completion.ts); the
  // histograms and the aggregator subscribe there, so the collector imports neither.
  api: ['processor', 'metrics', 'aggregation', 'analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  processor: ['metrics', 'aggregation', 'analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  metrics: ['processor', 'aggregation', 'analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  // The aggregation subscribes to the completion hook (src/api/completion.ts), nothing else of the api.
  aggregation: ['spans', 'processor', 'metrics', 'analysis', 'agents', 'slo', 'report', 'setup', 'cli'],
  analysis: ['spans', 'api', 'processor', 'metrics', 'agents', 'slo', 'report', 'setup', 'cli'],
  slo: ['api', 'processor', 'aggregation', 'analysis', 'agents', 'report', 'setup', 'cli'],
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
