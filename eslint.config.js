import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layer rules from the design: arrows point one way (renderer -> shared; electron/app, electron/host -> engine -> shared).
const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'net',
  'tls',
  'http',
  'https',
  'crypto',
  'child_process',
  'events',
  'stream',
  'url',
  'zlib',
  'dns',
  'readline',
  'util',
  'buffer',
  'worker_threads',
];
// Bare module names are matched exactly (`paths`), so a project file such as ../capture/events is not mistaken for
// node's `events`; folder rules use gitignore-style `patterns`.
const restrict = (modules, patterns, message) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: modules.map((name) => ({ name, message })),
      patterns: [{ group: patterns, message }],
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      'release/**',
      'test-results/**',
      'shared/ocpp/schemas/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: restrict(
      [...nodeBuiltins, 'electron', 'ws', 'react', 'react-dom'],
      ['node:*', 'electron/*', '**/electron/**', '**/renderer/**'],
      'shared/ is pure TypeScript: no node:*, DOM, electron, ws or react.',
    ),
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: restrict(
      ['electron'],
      ['electron/*', '**/app/**', '**/host/**', '**/renderer/**'],
      'electron/engine runs in plain Node: no electron, app, host or renderer imports.',
    ),
  },
  // The app (Electron) and the host (CLI, serve) are siblings: what both need lives in electron/common.
  {
    files: ['electron/app/**/*.ts'],
    rules: restrict(
      [],
      ['**/renderer/**', '**/host/**'],
      'electron/app never imports the renderer or electron/host (shared Node code goes in electron/common).',
    ),
  },
  {
    files: ['electron/host/**/*.ts'],
    rules: restrict(
      [],
      ['**/renderer/**', '**/app/**'],
      'electron/host never imports the renderer or electron/app (shared Node code goes in electron/common).',
    ),
  },
  {
    files: ['electron/common/**/*.ts'],
    rules: restrict(
      ['electron'],
      ['electron/*', '**/app/**', '**/host/**', '**/renderer/**'],
      'electron/common is plain Node shared by app and host: no electron, app, host or renderer imports.',
    ),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [...nodeBuiltins, 'electron', 'ws'],
      ['node:*', 'electron/*', '**/electron/**'],
      'renderer/ may import only shared/ and browser libraries.',
    ),
  },
);
