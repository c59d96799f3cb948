import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

// The block eslint.config.mjs applies to src/workflows and src/resources, applied here to the fixtures instead.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const workflowPurity = require('../../eslint/workflow-purity.cjs') as { config: Linter.Config };

const ROOT = join(__dirname, '..', '..');
const FIXTURES = 'test/unit/fixtures/workflow-purity';

async function lintFixture(name: string): Promise<{ line: number; message: string; ruleId: string | null }[]> {
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser as never } },
      { ...workflowPurity.config, files: [`${FIXTURES}/**/*.ts`] },
    ],
  });
  const [result] = await eslint.lintFiles([join(ROOT, FIXTURES, name)]);
  if (!result) throw new Error(`eslint returned no result for ${FIXTURES}/${name}`);
  return result.messages.map(({ line, message, ruleId }) => ({ line, message, ruleId }));
}

test('issue 10: workflow code that imports the runtime config, secrets, zod, node:fs or I/O modules fails lint', async () => {
  const messages = await lintFixture('refused.ts');
  expect(messages.every((m) => m.ruleId === 'pendoflow/workflow-imports')).toBe(true);
  const refused = messages.map((m) => /^'([^']+)'/.exec(m.message)?.[1]);
  expect(refused).toEqual([
    '../../../../src/config/runtime',
    '../../../../src/config/secrets',
    'zod',
    'node:fs',
    'axios',
    '@temporalio/activity',
    '../../../../src/activities',
    '../../../../src/pendo/errors',
    '../../../../src/pendo/client',
  ]);
  // The message names the module as resolved, the importing file, and what is allowed.
  expect(messages[0]?.message).toContain(`(src/config/runtime) is not workflow-safe: ${FIXTURES}/refused.ts`);
  expect(messages[0]?.message).toContain('@temporalio/workflow, @temporalio/common, modules in src/workflows/');
});

test('issue 10: the Temporal workflow packages, workflow-safe modules and any `import type` pass the allow-list', async () => {
  expect(await lintFixture('allowed.ts')).toEqual([]);
});

test('issue 10: eslint.config.mjs applies the allow-list to src/workflows and src/resources', () => {
  // Jest cannot load an ESM config in-process; eslint's own CLI prints the config it would use for each file.
  const cli = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
  for (const file of ['src/workflows/capture/workflow.ts', 'src/resources/index.ts']) {
    const printed = execFileSync(process.execPath, [cli, '--print-config', file], { cwd: ROOT, encoding: 'utf8' });
    const rules = (JSON.parse(printed) as { rules: Record<string, unknown[]> }).rules;
    const [severity, options] = rules['pendoflow/workflow-imports'] ?? [];
    expect({ file, severity, options }).toEqual({
      file,
      severity: 2,
      options: (workflowPurity.config.rules?.['pendoflow/workflow-imports'] as unknown[])[1],
    });
  }
});
