import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Workflow code runs in Temporal's deterministic sandbox: no I/O, no Node built-ins, no HTTP clients.
// The bundler rejects built-ins but silently accepts axios, so the ban lives here.
const workflowBans = {
  paths: [
    ...builtinModules.flatMap((m) => [m, `node:${m}`]),
    'axios',
    '@temporalio/client',
    '@temporalio/activity',
    '@temporalio/worker',
    '@temporalio/testing',
  ]
    .map((name) => ({ name, message: 'Workflow code must stay deterministic and free of I/O.' }))
    .concat({
      name: 'zod',
      message:
        'Each cached workflow evaluates the bundle again (~1 MB per workflow for zod); use src/workflows/common/validate.ts.',
    }),
  patterns: [
    {
      group: ['**/pendo', '**/pendo/**', '**/aep', '**/aep/**', '**/sinks', '**/sinks/**'],
      message: 'Workflow code must not import I/O modules (src/pendo, src/aep, src/sinks).',
    },
    {
      group: ['**/activities', '**/activities/**'],
      allowTypeImports: true,
      message: 'Import activities as types only.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'lib/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      // Forgetting to await an activity, a signal or a stream write loses work silently.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'object-shorthand': 'error',
    },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/resources/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', workflowBans] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
