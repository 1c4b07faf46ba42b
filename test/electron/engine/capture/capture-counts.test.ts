import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  countCapture,
  MAX_IDENTITIES,
  skimHeader,
  skimLines,
} from '../../../../electron/engine/capture/capture-counts';
import { findHeaderLine } from '../../../../shared/capture/capture-line-rules';
import { VERBATIM_KEY } from '../../../../shared/capture/verbatim-line';
import type { SkimCounts } from '../../../../electron/engine/capture/capture-counts';
import { makeHeader } from '../../../../shared/capture/format';
import { opened } from './fixtures';

describe('capture counts skim', () => {
  it('keeps at most MAX_IDENTITIES names however many a file holds, the first ones, and counts every finding', () => {
    const into: SkimCounts = { identities: new Set(), findings: { error: 0, warning: 0, info: 0 } };
    const lines = Array.from(
      { length: 5_000 },
      (_, i) => `{"kind":"opened","identity":"CP-${i}","findings":[{"severity":"warning"}]}`,
    );
    skimLines(lines.join('\n'), into);
    expect(into.identities.size).toBe(MAX_IDENTITIES);
    expect([...into.identities][0]).toBe('CP-0');
    expect(into.identities.has(`CP-${MAX_IDENTITIES - 1}`)).toBe(true);
    expect(into.findings.warning).toBe(5_000);
  });

  it('reads a header behind a UTF-8 BOM and blank lines, as the readers do', () => {
    const into: SkimCounts = { identities: new Set(), findings: { error: 0, warning: 0, info: 0 } };
    const text = `\ufeff \r\n\r\n${JSON.stringify(makeHeader('t', [opened(0, 'c1', 'CP-9').connection]))}\r\n{}`;
    const first = findHeaderLine(text)!;
    const h = skimHeader(first.line, into);
    expect(h.ok).toBe(true);
    expect([...into.identities]).toEqual(['CP-9']);
    expect(text.slice(first.end + 1)).toBe('{}');
  });

  it('counts a version-2 file whose header comes after more blank lines than one read holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'counts-'));
    try {
      const header = JSON.stringify(makeHeader('t', [opened(0, 'c1', 'CP-9').connection]));
      // A frame whose text names a severity: skimmed as a version-2 line, its verbatim text is not a finding.
      const text = '[2,"1","DataTransfer",{"vendorId":"v","data":"\\"severity\\":\\"error\\""}]';
      const frame = `{"textBytes":${Buffer.byteLength(text)},"kind":"frame","seq":0,"t":1,"mono":1,"conn":"c1","sender":"station","findings":[]${VERBATIM_KEY}${text}}`;
      const found = '{"kind":"note","seq":1,"t":1,"mono":1,"text":"n","findings":[{"severity":"warning"}]}';
      const path = join(dir, 'late-header.ocppcap.jsonl');
      const file = `\ufeff${' \r\n'.repeat(150_000)}${header}\r\n${frame}\n${found}\n`;
      writeFileSync(path, file);
      const counts = await countCapture(path, Buffer.byteLength(file));
      expect(counts.findings).toEqual({ error: 0, warning: 1, info: 0 });
      expect([...counts.identities]).toEqual(['CP-9']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
