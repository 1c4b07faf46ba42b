import { describe, expect, it } from 'vitest';
import { MAX_IDENTITIES, skimLines } from '../../../../electron/engine/capture/capture-counts';
import type { SkimCounts } from '../../../../electron/engine/capture/capture-counts';

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
});
