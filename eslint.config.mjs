import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layersConfig } from './eslint.layers.mjs';

/**
 * The demo is its own package (examples/demo/package.json): it imports the SDK by its name, as a
 * user's project does, never the sources by path (test/lint/demo-imports.test.ts).
 */
export const demoImportsConfig = {
  files: ['examples/demo/**/*.ts'],
  languageOptions: { parser: tseslint.parser },
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: '^(\\.\\.?/)+(.+/)?src(/.*)?$',
            message: "The demo imports the SDK as 'agent-timing' (its package name), not from the repository's src/.",
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'collector-config/**', '**/*.js', '**/*.mjs', '.prof/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits is how an exporter failure becomes an unhandled rejection.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  layersConfig,
  demoImportsConfig,
);
