import { describe, expect, it } from 'vitest';
import type { ScopeEvent, TransferEvent } from '../../../shared/capture/events';
import { parseFilter } from '../../../shared/capture/filter';
import { encodeCapture, makeHeader, parseEventLine } from '../../../shared/capture/format';
import { decodeCaptureBytes } from '../../../electron/engine/capture/event-bytes';
import { eventsToHar } from '../../../shared/capture/har';
import { eventFindingCount, matchesText } from '../../../shared/capture/query';
import { transferSummary } from '../../../shared/capture/transfer-text';

const base = { seq: 3, t: 1_700_000_000_000, mono: 5, conn: 'c1', kind: 'transfer' } as const;
const completed: TransferEvent = {
  ...base,
  transfer: 'x1',
  phase: 'completed',
  protocol: 'ftp',
  direction: 'upload',
  name: 'diag.zip',
  bytes: 2048,
  durationMs: 120.4,
  sha256: 'ab'.repeat(32),
  identity: 'CP1',
  request: { seq: 1, action: 'GetDiagnostics', messageId: 'm1' },
};
const failed: TransferEvent = {
  ...base,
  seq: 4,
  transfer: 'x2',
  phase: 'failed',
  protocol: 'http',
  direction: 'upload',
  name: 'big.bin',
  bytes: 10,
  findings: [
    { code: 'transfer-too-large', severity: 'error', message: 'The upload is larger than the limit.' },
  ],
};

describe('transfer events in captures, search, HAR and text', () => {
  it('round-trip through the capture codec; a transfer line without its fields is refused with a reason', () => {
    const text = encodeCapture(makeHeader('test'), [completed, failed]);
    const back = decodeCaptureBytes(Buffer.from(text));
    expect(back.findings).toEqual([]);
    expect(back.events).toEqual([completed, failed]);
    const bad = parseEventLine(JSON.stringify({ ...base, phase: 'started' }));
    expect(bad).toMatchObject({ ok: false, code: 'event-missing-field' });
  });

  it('are found by text, by kind and by finding code, and count their findings', () => {
    expect(matchesText(completed, 'diag.ZIP')).toBe(true);
    expect(matchesText(completed, 'getdiagnostics')).toBe(true);
    expect(matchesText(failed, 'transfer-too-large')).toBe(true);
    expect(eventFindingCount(failed)).toBe(1);
    expect(parseFilter('kind:transfer code:transfer-too-large').ok).toBe(true);
  });

  it('HAR export leaves them out and keeps the frames', () => {
    const frame: ScopeEvent = {
      seq: 1,
      t: base.t,
      mono: 1,
      conn: 'c1',
      kind: 'frame',
      sender: 'csms',
      text: '[2,"m1","GetDiagnostics",{"location":"ftp://x/"}]',
      findings: [],
    };
    const har = JSON.parse(eventsToHar([frame, completed])) as {
      log: { entries: { _webSocketMessages: unknown[] }[] };
    };
    expect(har.log.entries.flatMap((e) => e._webSocketMessages)).toHaveLength(1);
  });

  it('read as one line a person understands', () => {
    expect(transferSummary(completed)).toBe(
      `upload diag.zip over ftp completed: 2.0 KB in 120 ms, sha256 ${'ab'.repeat(8)}…`,
    );
    expect(transferSummary(failed)).toBe(
      'upload big.bin over http failed after 10 B: The upload is larger than the limit.',
    );
    expect(
      transferSummary({
        ...completed,
        phase: 'linked',
        notification: { seq: 9, action: 'DiagnosticsStatusNotification', status: 'Uploaded' },
      }),
    ).toBe('upload diag.zip over ftp linked to DiagnosticsStatusNotification Uploaded');
  });
});
