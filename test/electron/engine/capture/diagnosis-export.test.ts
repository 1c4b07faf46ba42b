import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScopeEngine } from '../../../../electron/engine/scope-engine';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { session } from './fixtures';
import { testTempDir } from '../../../support/temp-dirs';

const engines: ScopeEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

describe('exportDiagnosis', () => {
  it('writes the page and the redacted capture side by side, only where the user chose', async () => {
    const dir = testTempDir('scope-bundle');
    const target = join(dir, 'ticket.html');
    const engine = new ScopeEngine({ dataDir: dir, chooseFile: async () => target });
    engines.push(engine);
    const source = await engine.openContent(
      'day.ocppcap.jsonl',
      encodeCapture(makeHeader('t'), session('c1', 'CP-B', 40)),
      'utf8',
    );
    await expect(engine.exportDiagnosis(source.id, join(dir, 'elsewhere.html'))).rejects.toThrow(
      /choose the file first/,
    );
    expect(await engine.chooseFile('save', 'x.html')).toBe(target);
    const out = await engine.exportDiagnosis(source.id, target);
    expect(out.written).toEqual([target, join(dir, out.captureName)]);
    expect(readFileSync(target, 'utf8')).toContain('CP-B');
    const capture = readFileSync(join(dir, out.captureName), 'utf8');
    expect(capture).not.toContain('s3cret');
    expect(existsSync(join(dir, 'elsewhere.html'))).toBe(false);
  });
});
