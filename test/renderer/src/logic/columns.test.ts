import { beforeEach, describe, expect, it } from 'vitest';
import {
  COLUMNS,
  gridTemplate,
  minWidth,
  rowTone,
  rowsAsText,
  worstSeverity,
  type RowContext,
} from '../../../../renderer/src/logic/columns';
import { exchange, frame, opened, resetSeq } from '../fixtures';

const ctx: RowContext = { connectionLabel: (c) => (c === 'c1' ? 'CP1' : c), rttOf: () => 12 };

describe('log columns', () => {
  beforeEach(resetSeq);

  it('has the columns an engineer expects, in order', () => {
    expect(COLUMNS.map((c) => c.id)).toEqual([
      'time',
      'connection',
      'direction',
      'type',
      'action',
      'id',
      'rtt',
      'findings',
    ]);
  });

  it('fills the cells of a CALL', () => {
    const [call] = exchange('c1', 'BootNotification', 12);
    const cells = Object.fromEntries(COLUMNS.map((c) => [c.id, c.cell(call, ctx)]));
    expect(cells).toMatchObject({
      connection: 'CP1',
      direction: 'CS → CSMS',
      type: 'CALL',
      action: 'BootNotification',
      rtt: '12 ms',
      findings: '',
    });
    expect(cells.id).toBe(call.msg?.id);
  });

  it('makes frames with findings stand out by their worst severity', () => {
    const warn = frame('c1', {
      sender: 'station',
      text: '[2,"a","X",{}]',
      msg: { type: 2, id: 'a', action: 'X' },
      findings: [
        { code: 'a', severity: 'info', message: '' },
        { code: 'b', severity: 'warning', message: '' },
      ],
    });
    expect(worstSeverity(warn)).toBe('warning');
    expect(COLUMNS.find((c) => c.id === 'findings')!.cell(warn, ctx)).toBe('2');
    const broken = frame('c1', {
      sender: 'station',
      text: '[',
      problem: { code: 'not-json', message: '', errorCode: 'FormatViolation' },
    });
    expect(worstSeverity(broken)).toBe('error');
    expect(rowTone(broken)).toBe('invalid');
    expect(worstSeverity(opened('c1', 'CP1'))).toBeUndefined();
  });

  it('gives a grid template with a growing action column and a minimum width', () => {
    expect(gridTemplate()).toContain('1fr');
    expect(minWidth()).toBeGreaterThan(500);
  });

  it('says in the RTT cell’s title, and in the header’s, where the round trip was measured', () => {
    const rtt = COLUMNS.find((c) => c.id === 'rtt')!;
    expect(rtt.hint).toMatch(/taken on this tool’s side/);
    const [call, result] = exchange('c1', 'BootNotification', 12);
    const asCsms: RowContext = { ...ctx, connectionOf: (id) => ({ id, role: 'endpoint' }) };
    const expected =
      'RTT 12 ms, measured by OCPP Scope as the CSMS (endpoint), at its socket: from the charger’s request read from the socket to our answer handed to it';
    expect(rtt.title!(call, asCsms)).toBe(expected);
    expect(rtt.title!(result, asCsms)).toBe(expected);
    const asStation: RowContext = { ...ctx, connectionOf: (id) => ({ id, role: 'station' }) };
    expect(rtt.title!(call, asStation)).toBe(
      'RTT 12 ms, measured by OCPP Scope as the charging station, at its socket: from our request handed to the socket to the CSMS’s answer read from it',
    );
    const asProxy: RowContext = { ...ctx, connectionOf: (id) => ({ id, role: 'proxy' }) };
    expect(rtt.title!(result, asProxy)).toMatch(
      /^RTT 12 ms, measured by OCPP Scope as the proxy, between its two legs/,
    );
    // An imported pcap is told by its ids, with or without the connection at hand.
    const [, fromPcap] = exchange('pcap-1', 'Heartbeat', 3);
    expect(rtt.title!(fromPcap, ctx)).toMatch(/^RTT 12 ms, from the packet timestamps in the imported pcap/);
    // No round trip, no title.
    expect(rtt.title!(call, { ...asCsms, rttOf: () => undefined })).toBeUndefined();
  });

  it('copies rows as tab-separated text with a header', () => {
    const text = rowsAsText(exchange('c1', 'Heartbeat', 1), ctx);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]!.split('\t')).toHaveLength(COLUMNS.length);
    expect(lines[2]).toContain('CALLRESULT');
  });
});

describe('time column modes', () => {
  beforeEach(resetSeq);

  it('shows wall clock, seconds since the first event, or since the row above', () => {
    const [a, b] = exchange('c1', 'Heartbeat', 1);
    b.t = a.t + 1234;
    const time = COLUMNS.find((c) => c.id === 'time')!;
    expect(time.cell(b, { ...ctx, timeMode: 'relative', origin: a.t - 1000 })).toBe('2.234');
    expect(time.cell(b, { ...ctx, timeMode: 'delta', previous: () => a })).toBe('+1.234');
    expect(time.cell(a, { ...ctx, timeMode: 'delta', previous: () => undefined })).toBe('0.000');
    expect(time.cell(a, ctx)).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
  });
});

describe('column layout', () => {
  it('hides columns but never the last one, and cleans a stored layout from another version', async () => {
    const { layoutFrom, toggleColumn, visibleColumns, DEFAULT_LAYOUT } =
      await import('../../../../renderer/src/logic/columns');
    let layout = toggleColumn(DEFAULT_LAYOUT, 'id');
    expect(visibleColumns(layout).map((c) => c.id)).not.toContain('id');
    for (const c of COLUMNS) layout = toggleColumn(layout, c.id);
    // Toggling every column flips the hidden ones back on and hides the rest, but one always stays.
    expect(visibleColumns(layout).length).toBeGreaterThanOrEqual(1);
    expect(
      layoutFrom({ hidden: ['id', 'nope', 7], widths: { type: 5, action: 9999, bogus: 100, rtt: 'x' } }),
    ).toEqual({
      hidden: ['id'],
      widths: { type: 40, action: 1200 },
    });
    expect(layoutFrom({ hidden: COLUMNS.map((c) => c.id), widths: {} }).hidden).toEqual([]);
  });

  it('gives a dragged column its width and keeps rows full when the growing column is hidden', async () => {
    const { resizeColumn, visibleColumns, DEFAULT_LAYOUT } =
      await import('../../../../renderer/src/logic/columns');
    const wide = resizeColumn(DEFAULT_LAYOUT, 'type', 180);
    const cells = (t: string) => t.split(/ (?![^(]*\))/);
    expect(cells(gridTemplate(visibleColumns(wide), wide.widths))[3]).toBe('180px');
    expect(minWidth(visibleColumns(wide), wide.widths)).toBe(minWidth() + 80);
    const noAction = visibleColumns({ hidden: ['action'], widths: {} });
    const template = cells(gridTemplate(noAction));
    expect(template[template.length - 1]).toMatch(/1fr\)$/);
  });
});
