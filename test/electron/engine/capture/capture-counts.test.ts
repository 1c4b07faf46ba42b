import { describe, expect, it } from 'vitest';
import { MAX_IDENTITIES, skimHeader, skimLines } from '../../../../electron/engine/capture/capture-counts';
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

  it('reads a header behind a UTF-8 BOM, as the readers do', () => {
    const into: SkimCounts = { identities: new Set(), findings: { error: 0, warning: 0, info: 0 } };
    const h = skimHeader(
      `\ufeff${JSON.stringify(makeHeader('t', [opened(0, 'c1', 'CP-9').connection]))}`,
      into,
    );
    expect(h.ok).toBe(true);
    expect([...into.identities]).toEqual(['CP-9']);
  });
});
