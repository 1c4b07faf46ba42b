import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultAppSettings } from '../../../shared/api-defaults';
import { dispatchCall } from '../../../shared/api-dispatch';
import { ScopeEngine } from '../../../electron/engine/scope-engine';
import { testTempDir } from '../../support/temp-dirs';

/** The code an engine failure has where it is raised is the code the UI and the CLI receive, through dispatch. */
describe('error codes end to end', () => {
  it('keeps the engine code of a failed call instead of flattening it to "failed"', async () => {
    const dir = testTempDir('error-codes');
    let stored = defaultAppSettings();
    const engine = new ScopeEngine({
      dataDir: dir,
      settings: { load: () => stored, save: (s) => (stored = s) },
    });
    try {
      for (const name of ['nope.ocppcap.jsonl', 'notes.txt', 'empty.ocppcap.jsonl'])
        engine.allowOpen(join(dir, name));
      const missing = await dispatchCall(engine, 'openFile', [join(dir, 'nope.ocppcap.jsonl')]);
      expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
      const odd = join(dir, 'notes.txt');
      writeFileSync(odd, 'just some text, not a capture\n');
      expect(await dispatchCall(engine, 'openFile', [odd])).toMatchObject({
        ok: false,
        error: { code: 'unknown-format' },
      });
      const empty = join(dir, 'empty.ocppcap.jsonl');
      writeFileSync(empty, '');
      expect(await dispatchCall(engine, 'openFile', [empty])).toMatchObject({
        ok: false,
        error: { code: 'empty' },
      });
      expect(
        await dispatchCall(engine, 'send', ['no-such-connection', '[2,"1","Heartbeat",{}]']),
      ).toMatchObject({
        ok: false,
        error: { code: 'failed' },
      });
      expect(await dispatchCall(engine, 'nope', [])).toMatchObject({
        ok: false,
        error: { code: 'unknown-method' },
      });
      expect(await dispatchCall(engine, 'disconnect', [42])).toMatchObject({
        ok: false,
        error: { code: 'bad-arguments' },
      });
    } finally {
      await engine.close();
    }
  });
});
