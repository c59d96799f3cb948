import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import workflowPurity from './eslint/workflow-purity.cjs';

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
  // Workflow code runs in Temporal's deterministic sandbox: it imports only what eslint/workflow-purity.cjs allows.
  workflowPurity.config,
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
