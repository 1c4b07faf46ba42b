import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// Layer rules from the design (../shared/design.md), enforced at every depth and in every import form: static
// `import`/`export ... from`, dynamic `import()` and `require()`. Arrows point one way: renderer -> shared;
// electron/app, electron/host -> engine -> shared; inside shared, capture and scenario -> ocpp and api -> all,
// never back. test/electron/host/layer-rules.test.ts injects each forbidden import and expects this to refuse it.
import { builtinModules } from 'node:module';

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const any = (names) => names.map(esc).join('|');
// Every Node built-in, bare or node:, with any sub-path (fs/promises, stream/web, ...).
const BUILTINS = `^(node:.*|(${any(builtinModules.filter((m) => !m.startsWith('_')))})(/.*)?)$`;
const PKG = (names) => `^(${any(names)})(/.*)?$`;
// A project folder anywhere in a relative path: ../capture/x, ../../electron/engine.
const DIR = (names) => `(^|/)(${names.join('|')})(/|$)`;

/** One rule set for a layer: the static form through no-restricted-imports, the dynamic forms through selectors. */
const layer = (regexes, message) => {
  // esquery ends a regex at the first '/', so slashes are written as \x2F there.
  const dynamic = regexes
    .map((r) => r.replace(/\//g, '\\x2F'))
    .flatMap((r) => [
      { selector: `ImportExpression[source.value=/${r}/]`, message },
      { selector: `CallExpression[callee.name='require'][arguments.0.value=/${r}/]`, message },
    ]);
  return {
    'no-restricted-imports': ['error', { patterns: regexes.map((regex) => ({ regex, message })) }],
    'no-restricted-syntax': ['error', ...dynamic],
  };
};

const PURE = [BUILTINS, PKG(['electron', 'ws', 'react', 'react-dom']), DIR(['electron', 'renderer'])];
// The ajv-based analysis compiles schemas with new Function: Node side only (shared/ocpp/README.md).
// A file behind the engine's index: ../../engine/endpoint/endpoint.
const ENGINE_INSIDE = '(^|/)engine/(?!index(\\.[jt]s)?$).+';
const AJV = [
  PKG(['ajv', 'ajv-draft-04', 'ajv-formats']),
  '(^|/)ocpp/(schema-registry|analyze|pipeline|precompiled-validators)$',
];

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
    rules: layer(PURE, 'shared/ is pure TypeScript: no Node built-ins, DOM, electron, ws or react.'),
  },
  {
    files: ['shared/ocpp/**/*.ts'],
    rules: layer(
      [...PURE, DIR(['capture', 'scenario']), '(^|/)api(-[a-z]+)?$'],
      'shared/ocpp is the bottom layer: no capture, scenario or api imports (and nothing impure).',
    ),
  },
  {
    files: ['shared/capture/**/*.ts'],
    rules: layer(
      [...PURE, DIR(['scenario']), '(^|/)api(-[a-z]+)?$'],
      'shared/capture may import shared/ocpp only (never the UI contract or scenarios).',
    ),
  },
  {
    files: ['shared/scenario/**/*.ts'],
    rules: layer(
      [...PURE, '(^|/)api(-[a-z]+)?$'],
      'shared/scenario may import shared/ocpp and shared/capture only.',
    ),
  },
  {
    files: ['electron/engine/**/*.ts'],
    rules: layer(
      [PKG(['electron', 'react', 'react-dom']), DIR(['app', 'host', 'renderer', 'common'])],
      'electron/engine runs in plain Node: no electron, react, app, host, common or renderer imports.',
    ),
  },
  // The app (Electron) and the host (CLI, serve) are siblings: what both need lives in electron/common. Both reach
  // the engine through its index only (electron/engine/index.ts), never a file behind it.
  {
    files: ['electron/app/**/*.ts'],
    rules: layer(
      [PKG(['react', 'react-dom']), DIR(['renderer', 'host']), ENGINE_INSIDE],
      'electron/app never imports the renderer, electron/host or files behind electron/engine/index.ts.',
    ),
  },
  {
    files: ['electron/host/**/*.ts'],
    rules: layer(
      [PKG(['electron', 'react', 'react-dom']), DIR(['renderer', 'app']), ENGINE_INSIDE],
      'electron/host never imports electron, the renderer, electron/app or files behind electron/engine/index.ts.',
    ),
  },
  {
    files: ['electron/common/**/*.ts'],
    rules: layer(
      [PKG(['electron', 'react', 'react-dom']), DIR(['app', 'host', 'renderer']), ENGINE_INSIDE],
      'electron/common is plain Node shared by app and host: no electron, app, host, renderer or engine-internal imports.',
    ),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: layer(
      [BUILTINS, PKG(['electron', 'ws']), DIR(['electron']), ...AJV],
      'renderer/ may import only shared/ (not its ajv-based analysis) and browser libraries.',
    ),
  },
);
