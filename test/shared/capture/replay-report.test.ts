import { describe, expect, it } from 'vitest';
import type { ReplayStatus } from '../../../shared/capture/replay-report';
import {
  formatReport,
  labelLines,
  replayVerdict,
  reportFileName,
  reportHtml,
  reportJson,
} from '../../../shared/capture/replay-report';

const status: ReplayStatus = {
  state: 'done',
  position: 2,
  total: 2,
  report: [
    { index: 0, action: 'BootNotification', outcome: 'matched', diffs: [] },
    {
      index: 1,
      action: 'Authorize',
      messageId: 'm<1>',
      outcome: 'differed',
      diffs: [{ path: '/idTagInfo/status', recorded: 'Accepted', live: '<script>alert(1)</script>' }],
    },
  ],
  label: {
    kind: 'replay',
    capture: 'site visit.ocppcap.jsonl',
    connection: 'CP-1 (c1)',
    target: 'ws://csms/ocpp/CP-1',
    side: 'station',
    startedAt: Date.parse('2026-12-06T06:00:00Z'),
    finishedAt: Date.parse('2026-12-06T06:00:07Z'),
    ignore: ['currentTime'],
  },
};

describe('replay report', () => {
  it('gives a verdict: passed only when done and everything matched', () => {
    expect(replayVerdict(status)).toBe('differences');
    expect(replayVerdict({ ...status, report: [status.report[0]!] })).toBe('passed');
    expect(replayVerdict({ ...status, state: 'failed' })).toBe('failed');
    expect(replayVerdict({ ...status, state: 'running' })).toBe('incomplete');
  });

  it('labels the report: which capture, against what, when, what was ignored', () => {
    expect(labelLines(status)).toEqual([
      ['Capture', 'site visit.ocppcap.jsonl'],
      ['Connection', 'CP-1 (c1)'],
      ['CSMS', 'ws://csms/ocpp/CP-1'],
      ['Tool played', 'the charger'],
      ['Started', '2026-12-06T06:00:00.000Z'],
      ['Finished', '2026-12-06T06:00:07.000Z'],
      ['Ignored', 'currentTime'],
    ]);
    expect(formatReport(status).pop()).toBe('1 matched, 1 differed, 0 missing, 0 unexpected, 0 timed out');
  });

  it('exports a self-contained page with every value escaped, JSON with the verdict, and a file name without spaces', () => {
    const html = reportHtml(status);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('m&lt;1&gt;');
    expect(html).toContain('Differences found');
    expect(JSON.parse(reportJson(status))).toMatchObject({
      verdict: 'differences',
      counts: { matched: 1, differed: 1 },
    });
    expect(reportFileName(status, 'html')).toBe('replay-site_visit-2026-12-06T06-00-00.html');
  });
});
