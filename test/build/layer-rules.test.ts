import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer rules of eslint.config.js, tried the way a mistake would be made: each forbidden import is written into
 * a scratch file at a path inside the layer (linted as text, never written to disk) in every form (static import,
 * export-from, dynamic import, require) and must be refused; the allowed arrows must pass.
 */

const root = join(import.meta.dirname, '..', '..');
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

const FORMS = [
  (m: string) => `import { x } from '${m}';\nexport const y = x;\n`,
  (m: string) => `export { x } from '${m}';\n`,
  (m: string) => `export const y = import('${m}');\n`,
  (m: string) => `declare const require: (m: string) => unknown;\nexport const y = require('${m}');\n`,
];

async function refusals(file: string, code: string): Promise<number> {
  const [r] = await eslint.lintText(code, { filePath: join(root, file) });
  return r!.messages.filter(
    (m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax',
  ).length;
}

/** [layer file, forbidden specifier] — one row per rule. */
const FORBIDDEN: [string, string][] = [
  // shared/: no Node built-in in any spelling, nor electron, ws (or its internals), react.
  ['shared/probe.ts', 'fs'],
  ['shared/probe.ts', 'node:fs'],
  ['shared/ocpp/probe.ts', 'fs/promises'],
  ['shared/capture/probe.ts', 'perf_hooks'],
  ['shared/capture/probe.ts', 'node:perf_hooks'],
  ['shared/probe.ts', 'worker_threads'],
  ['shared/probe.ts', 'electron'],
  ['shared/ocpp/probe.ts', 'ws/lib/websocket'],
  ['shared/probe.ts', 'react'],
  ['shared/capture/probe.ts', '../../electron/engine/endpoint'],
  ['shared/capture/probe.ts', '../../renderer/src/logic/filter'],
  // inside shared/: ocpp at the bottom, capture and scenario above it, the contract on top.
  ['shared/ocpp/probe.ts', '../capture/events'],
  ['shared/ocpp/behaviour/probe.ts', '../../capture/format'],
  ['shared/ocpp/probe.ts', '../scenario/format'],
  ['shared/ocpp/probe.ts', '../api'],
  ['shared/ocpp/probe.ts', '../api-validate'],
  ['shared/capture/probe.ts', '../api'],
  ['shared/capture/probe.ts', '../scenario/format'],
  ['shared/scenario/probe.ts', '../api'],
  // engine: plain Node, never the shell, the host, the UI or react.
  ['electron/engine/probe.ts', 'electron'],
  ['electron/engine/capture/probe.ts', 'electron/main'],
  ['electron/engine/probe.ts', 'react'],
  ['electron/engine/probe.ts', '../app/main'],
  ['electron/engine/capture/probe.ts', '../../host/cli'],
  ['electron/engine/probe.ts', '../../renderer/src/main'],
  // app, host and common.
  ['electron/app/probe.ts', '../host/serve'],
  ['electron/app/probe.ts', '../../renderer/src/main'],
  ['electron/host/probe.ts', '../app/main'],
  ['electron/host/commands/probe.ts', 'electron'],
  ['electron/common/probe.ts', 'electron'],
  ['electron/common/probe.ts', '../app/main'],
  // app, host and common reach the engine through its index only.
  ['electron/app/probe.ts', '../engine/scope-engine'],
  ['electron/host/commands/probe.ts', '../../engine/endpoint/endpoint'],
  ['electron/common/probe.ts', '../engine/connections/event-stream'],
  // renderer: browser only, and not the ajv-based analysis (it compiles with new Function, blocked by the CSP).
  ['renderer/src/probe.ts', 'node:path'],
  ['renderer/src/probe.ts', 'stream/web'],
  ['renderer/src/probe.ts', 'electron'],
  ['renderer/src/probe.ts', 'ws'],
  ['renderer/src/probe.ts', 'ajv'],
  ['renderer/src/logic/probe.ts', '../../../shared/ocpp/schema-registry'],
  ['renderer/src/logic/probe.ts', '../../../shared/ocpp/analyze'],
  ['renderer/src/logic/probe.ts', '../../../shared/ocpp/pipeline'],
  ['renderer/src/probe.ts', '../../electron/engine/endpoint'],
];

const ALLOWED: [string, string][] = [
  ['shared/capture/probe.ts', '../ocpp/frame'],
  ['shared/scenario/probe.ts', '../capture/events'],
  ['shared/probe.ts', './capture/format'],
  ['electron/engine/probe.ts', 'node:fs/promises'],
  ['electron/engine/probe.ts', 'ws'],
  ['electron/engine/probe.ts', '../../shared/ocpp/analyze'],
  ['electron/app/probe.ts', 'electron'],
  ['electron/app/probe.ts', '../engine'],
  ['electron/host/commands/probe.ts', '../../engine/index'],
  ['electron/host/probe.ts', '../common/csp'],
  ['renderer/src/probe.ts', '../../shared/ocpp/actions'],
  ['renderer/src/probe.ts', 'react'],
];

describe('layer rules (eslint.config.js)', () => {
  it('refuses every forbidden import in every form', async () => {
    const missed: string[] = [];
    for (const [file, spec] of FORBIDDEN) {
      for (const [i, form] of FORMS.entries()) {
        if ((await refusals(file, form(spec))) === 0) missed.push(`${file}: form ${i + 1} of '${spec}'`);
      }
    }
    expect(missed).toEqual([]);
  }, 120_000);

  it('lets the allowed arrows through', async () => {
    const refused: string[] = [];
    for (const [file, spec] of ALLOWED) {
      for (const form of FORMS)
        if ((await refusals(file, form(spec))) > 0) refused.push(`${file}: '${spec}'`);
    }
    expect(refused).toEqual([]);
  }, 120_000);

  it('knows every Node built-in, so none is forgotten', async () => {
    const missed: string[] = [];
    for (const m of builtinModules.filter((b) => !b.startsWith('_'))) {
      if ((await refusals('shared/probe.ts', FORMS[0]!(m))) === 0) missed.push(m);
    }
    expect(missed).toEqual([]);
  }, 120_000);
});
