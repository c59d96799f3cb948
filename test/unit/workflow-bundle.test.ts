import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { bundleApart, SHARED_WORKFLOW_MODULES, workflowBundleOptions } from '../../src/workflow-bundle';

const SRC = join(__dirname, '..', '..', 'src');

interface ModuleFacts {
  /** Modules of src/ this one imports at run time (type-only imports are erased). */
  local: string[];
  /** Packages this one imports at run time. */
  packages: string[];
  /** Top-level `let` or `var`: state a shared module would carry from one workflow to the next. */
  mutable: string[];
}

function resolveLocal(from: string, spec: string): string {
  return relative(SRC, require.resolve(join(dirname(join(SRC, from)), spec))).replace(/\.ts$/, '');
}

function facts(moduleName: string): ModuleFacts {
  const file = require.resolve(join(SRC, moduleName));
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: ModuleFacts = { local: [], packages: [], mutable: [] };
  for (const node of source.statements) {
    let spec: string | undefined;
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && named && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) spec = (node.moduleSpecifier as ts.StringLiteral).text;
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      spec = (node.moduleSpecifier as ts.StringLiteral).text;
    } else if (ts.isVariableStatement(node) && !(node.declarationList.flags & ts.NodeFlags.Const)) {
      out.mutable.push(node.getText(source).split('\n')[0] ?? '');
    }
    if (spec === undefined) continue;
    if (spec.startsWith('.')) out.local.push(resolveLocal(moduleName, spec));
    else out.packages.push(spec);
  }
  return out;
}

/** Every module the workflow entry reaches at run time, with its facts. */
function workflowGraph(): Map<string, ModuleFacts> {
  const graph = new Map<string, ModuleFacts>();
  const queue = ['workflows/index'];
  while (queue.length) {
    const name = queue.pop() as string;
    if (graph.has(name)) continue;
    const f = facts(name);
    graph.set(name, f);
    queue.push(...f.local);
  }
  return graph;
}

/** Whether a module, and everything it imports, is free of packages (the Temporal ones keep per-workflow state). */
function standsAlone(name: string, graph: Map<string, ModuleFacts>, seen = new Set<string>()): boolean {
  if (seen.has(name)) return true;
  seen.add(name);
  const f = graph.get(name) as ModuleFacts;
  return f.packages.length === 0 && f.local.every((m) => standsAlone(m, graph, seen));
}

test('issue 13: the shared workflow modules are exactly the bundle modules that import no package, and hold no state', () => {
  const graph = workflowGraph();
  // The walk reached the workflows and their imports, and classifies both ways.
  expect(graph.get('workflows/capture/binding')?.packages).toContain('@temporalio/workflow');
  expect(standsAlone('workflows/capture/binding', graph)).toBe(false);
  expect(standsAlone('workflows/capture/cursor', graph)).toBe(true);

  const alone = [...graph.keys()].filter((m) => standsAlone(m, graph)).sort();
  expect([...SHARED_WORKFLOW_MODULES].sort()).toEqual(alone);
  const mutable = SHARED_WORKFLOW_MODULES.flatMap((m) => facts(m).mutable.map((line) => `${m}: ${line}`));
  expect(mutable).toEqual([]);
});

test('issue 13: the bundle options preload each shared module by its file', () => {
  const { workflowsPath, preloadModules } = workflowBundleOptions();
  expect(workflowsPath).toBe(join(SRC, 'workflows', 'index.ts'));
  expect(preloadModules).toHaveLength(SHARED_WORKFLOW_MODULES.length);
  expect(preloadModules).toContain(join(SRC, 'workflows', 'capture', 'cursor.ts'));
});

test('issue 13: a worker without a prebuilt bundle gets one built in a child process, with the shared modules preloaded', async () => {
  const path = await bundleApart();
  try {
    const code = readFileSync(path, 'utf8');
    expect(code).toContain('globalThis.__webpack_module_cache__');
    for (const name of ['capture', 'captureBinding', 'dataflow', 'pipeline']) {
      expect(code).toContain(`async function ${name}(`);
    }
    expect(code).toMatch(/exports\.preloadModules = function preloadModules\(\) \{[^}]*workflows\/capture\/cursor/);
  } finally {
    rmSync(path, { force: true });
  }
}, 120_000);
