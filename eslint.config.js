import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layer rules from the design: arrows point one way (renderer -> shared; electron/app, electron/host -> engine -> shared).
const nodeBuiltins = [
  'node:*',
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
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
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
      [...nodeBuiltins, 'electron', 'ws', 'react', 'react-dom', '**/electron/**', '**/renderer/**'],
      'shared/ is pure TypeScript: no node:*, DOM, electron, ws or react.',
    ),
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: restrict(
      ['electron', '**/app/**', '**/host/**', '**/renderer/**'],
      'electron/engine runs in plain Node: no electron, app, host or renderer imports.',
    ),
  },
  {
    files: ['electron/app/**/*.ts', 'electron/host/**/*.ts'],
    rules: restrict(['**/renderer/**'], 'The Node side never imports the renderer.'),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [...nodeBuiltins, 'electron', 'ws', '**/electron/**'],
      'renderer/ may import only shared/ and browser libraries.',
    ),
  },
);
