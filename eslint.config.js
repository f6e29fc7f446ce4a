// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const prettier = require('eslint-config-prettier');
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

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', '.cache/**', 'coverage/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
    },
  },
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
