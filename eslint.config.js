// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');
const importX = require('eslint-plugin-import-x');
const { createTypeScriptImportResolver } = require('eslint-import-resolver-typescript');
const { builtinModules } = require('node:module');

// Workflow code runs in Temporal's deterministic sandbox: no I/O, no node builtins,
// and activities/store only as types so nothing with side effects is bundled.
const workflowBans = {
  paths: [
    ...builtinModules
      .flatMap((m) => [m, `node:${m}`])
      .map((name) => ({ name, message: 'no node builtins in workflow code' })),
    { name: 'nodemailer', message: 'mail is an activity' },
    { name: 'better-sqlite3', message: 'storage is an activity' },
    { name: 'pg', message: 'storage is an activity' },
    { name: 'kysely', message: 'storage is an activity' },
  ],
  patterns: [
    { group: ['**/store', '**/store/**'], message: 'workflows never import store/' },
    {
      group: ['**/activities', '**/activities/**'],
      allowTypeImports: true,
      message: 'import activities with `import type` only',
    },
  ],
};

// The rooms and what each may import at run time. Listed lowest first: a room imports at run time only rooms
// listed before it (checked below), so no folder cycle can form. `types` are rooms it may import with
// `import type` only.
// app/ holds the entry points: nothing imports it. Workflow code reaches the rest of workflows/ only
// through its message modules (update, signal and query definitions, names and search attributes).
const WORKFLOW_MESSAGES = [
  'task-messages.ts',
  'restriction-messages.ts',
  'digest-messages.ts',
  'indicator-messages.ts',
  'duty-messages.ts',
  'bulletin-messages.ts',
  'card-messages.ts',
  'search-attributes.ts',
];
const ROOMS = {
  domain: { imports: [] },
  importer: { imports: ['domain'] },
  config: { imports: [] },
  // Office documents (xlsx, docx, pdf) rendered from domain data and read back into it; the plans' titles.
  office: { imports: ['domain', 'importer', 'config'] },
  store: { imports: ['domain'] },
  directory: { imports: ['domain'] },
  workflows: { imports: ['domain'], types: ['activities'] },
  activities: { imports: ['domain', 'office', 'store', 'directory', 'config', 'workflows:messages'] },
  servers: { imports: ['domain', 'config', 'workflows:messages'] },
  services: {
    imports: ['domain', 'importer', 'office', 'store', 'directory', 'config', 'workflows:messages'],
  },
  web: { imports: ['domain', 'importer', 'office', 'config', 'services'], types: ['store'] },
  http: { imports: ['domain', 'importer', 'office', 'config', 'services', 'web'], types: ['store'] },
  cli: {
    imports: ['domain', 'importer', 'office', 'directory', 'config', 'services'],
    types: ['store', 'workflows'],
  },
  worker: { imports: ['domain', 'store', 'directory', 'config', 'activities', 'workflows:messages'] },
  // The production-shaped topology on one machine (npm run cluster, the cluster test, the bench).
  cluster: { imports: ['domain', 'config', 'store', 'servers', 'services'] },
};
const ALL_ROOMS = [...Object.keys(ROOMS), 'app'];
for (const [room, { imports }] of Object.entries(ROOMS))
  for (const r of imports.map((i) => i.split(':')[0]))
    if (ALL_ROOMS.indexOf(r) >= ALL_ROOMS.indexOf(room))
      throw new Error(`eslint.config.js: ${room}/ may import only rooms listed before it, not ${r}/`);

/** One zone per room: every other room it does not list (app/ always) is out of bounds. */
function roomZones() {
  return Object.entries(ROOMS).flatMap(([room, { imports, types = [] }]) => {
    const allowed = new Set([room, ...imports.map((r) => r.split(':')[0]), ...types]);
    const zones = ALL_ROOMS.filter((r) => !allowed.has(r)).map((r) => ({
      target: `./${room}`,
      from: `./${r}`,
      message: `${room}/ does not import ${r}/ (see the rooms in eslint.config.js and the README's architecture)`,
    }));
    if (imports.includes('workflows:messages'))
      zones.push({
        target: `./${room}`,
        from: './workflows',
        except: WORKFLOW_MESSAGES.map((f) => `./${f}`),
        message: `${room}/ imports only workflows' message modules (${WORKFLOW_MESSAGES.join(', ')})`,
      });
    return zones;
  });
}

/** A room allowed another only as types: a runtime import of it is refused. */
function typeOnlyRules() {
  return Object.entries(ROOMS)
    .filter(([room, { types }]) => types && room !== 'workflows')
    .map(([room, { types }]) => ({
      files: [`${room}/**/*.ts`],
      rules: {
        '@typescript-eslint/no-restricted-imports': [
          'error',
          {
            patterns: types.map((t) => ({
              group: [`**/${t}`, `**/${t}/**`],
              allowTypeImports: true,
              message: `${room}/ imports ${t}/ with \`import type\` only`,
            })),
          },
        ],
      },
    }));
}

module.exports = tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test/fixtures/workflows/**',
      'data/**',
      '.cache/**',
      'coverage/**',
      'test-artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: __dirname })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['**/*.ts'],
    ignores: ['test/**', 'bench/**'],
    rules: { 'import-x/no-restricted-paths': ['error', { zones: roomZones() }] },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [{ target: ['./test', './bench'], from: './app', message: 'nothing imports app/' }] },
      ],
    },
  },
  ...typeOnlyRules(),
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', workflowBans] },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
