// `npm test` runs jest under node --experimental-vm-modules: OpenTelemetry's OTLP exporter loads
// node:http with a dynamic import(), which jest's module VM only supports with that flag.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type errors are caught by `npm run typecheck`; tests only transpile, which keeps them fast.
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
  },
  testTimeout: 30000,
  // Child-process soak and server tests compete for two cores; two workers keep them honest.
  maxWorkers: 2,
};
