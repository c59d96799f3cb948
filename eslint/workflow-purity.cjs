const path = require('node:path');

/**
 * pendoflow's workflow purity rule, an allow-list. Code that runs in Temporal's workflow sandbox may import only the
 * packages named in `packages` (and their subpaths) and modules inside the `folders` named (relative to the lint's
 * working directory); `import type` of anything is allowed, because it is erased before bundling. A module left out
 * is refused, so a new I/O module cannot slip in the way a deny-list lets it.
 */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Workflow code imports only workflow-safe modules' },
    schema: [
      {
        type: 'object',
        properties: {
          packages: { type: 'array', items: { type: 'string' } },
          folders: { type: 'array', items: { type: 'string' } },
          hints: { type: 'object', additionalProperties: { type: 'string' } },
        },
        required: ['packages', 'folders'],
        additionalProperties: false,
      },
    ],
    messages: {
      notAllowed:
        "'{{source}}'{{where}} is not workflow-safe: {{file}} may import only {{allowed}}, or anything with `import type`.{{hint}}",
    },
  },
  create(context) {
    const { packages, folders, hints = {} } = context.options[0];
    const cwd = context.cwd;
    const roots = folders.map((folder) => path.resolve(cwd, folder));
    const allowed = [...packages, ...folders.map((folder) => `modules in ${folder}/`)].join(', ');
    const file = path.relative(cwd, context.filename);
    const inside = (target) =>
      roots.some((root) => {
        const rel = path.relative(root, target);
        return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
      });
    const isPackage = (source) => packages.some((name) => source === name || source.startsWith(`${name}/`));
    const hintFor = (source, target) => {
      const segments = target.split(path.sep);
      const key = Object.keys(hints).find((name) => source === name || segments.includes(name));
      return key ? ` ${hints[key]}` : '';
    };

    function check(node, source) {
      if (typeof source !== 'string' || isPackage(source)) return;
      const relative = source.startsWith('./') || source.startsWith('../');
      const target = relative ? path.resolve(path.dirname(context.filename), source) : source;
      if (relative && inside(target)) return;
      const where = relative ? ` (${path.relative(cwd, target)})` : '';
      context.report({
        node,
        messageId: 'notAllowed',
        data: { source, where, file, allowed, hint: hintFor(source, target) },
      });
    }
    const typeOnly = (node) =>
      node.importKind === 'type' ||
      node.exportKind === 'type' ||
      (node.specifiers?.length > 0 &&
        node.specifiers.every((spec) => spec.importKind === 'type' || spec.exportKind === 'type'));

    return {
      ImportDeclaration(node) {
        if (!typeOnly(node)) check(node.source, node.source.value);
      },
      ExportNamedDeclaration(node) {
        if (node.source && !typeOnly(node)) check(node.source, node.source.value);
      },
      ExportAllDeclaration(node) {
        if (!typeOnly(node)) check(node.source, node.source.value);
      },
      ImportExpression(node) {
        check(node.source, node.source.type === 'Literal' ? node.source.value : '(a computed module name)');
      },
      TSImportEqualsDeclaration(node) {
        if (node.importKind !== 'type' && node.moduleReference.type === 'TSExternalModuleReference') {
          check(node.moduleReference, node.moduleReference.expression.value);
        }
      },
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) {
          const [arg] = node.arguments;
          check(arg, arg.type === 'Literal' ? arg.value : '(a computed module name)');
        }
      },
    };
  },
};

/** Where workflow code lives: the bundle's entry is src/workflows/index.ts, and it reads the resource table. */
const WORKFLOW_FOLDERS = ['src/workflows', 'src/resources'];

/** The lint block for workflow code; eslint.config.mjs applies it, test/unit/workflow-purity.test.ts lints fixtures. */
const config = {
  files: WORKFLOW_FOLDERS.map((folder) => `${folder}/**/*.ts`),
  plugins: { pendoflow: { rules: { 'workflow-imports': rule } } },
  rules: {
    'pendoflow/workflow-imports': [
      'error',
      {
        packages: ['@temporalio/workflow', '@temporalio/common'],
        folders: WORKFLOW_FOLDERS,
        hints: {
          zod: 'Each cached workflow evaluates the bundle again (~1 MB per workflow for zod); use src/workflows/common/validate.ts.',
          activities: 'Call activities through proxyActivities, importing their types only.',
          config: 'The worker and the client read configuration; a workflow gets what it needs in its input.',
        },
      },
    ],
  },
};

module.exports = { rule, config };
