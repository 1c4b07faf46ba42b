import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { decodeCaptureBytes } from '../../../../electron/engine/capture/event-bytes';
import { eventsToHar } from '../../../../shared/capture/har';
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import { CaptureSources } from '../../../../electron/engine/capture/capture-sources';
import { session } from './fixtures';
import { suiteTempDir } from '../../../support/temp-dirs';

const dir = suiteTempDir('sources');

describe('CaptureSources', () => {
  it('serves the live session with the same queries as files', async () => {
    const stream = new EventStream();
    const sources = new CaptureSources(stream, { tool: 't' });
    for (const e of session('c1', 'CP-1', 30)) {
      const { seq: _s, t: _t, mono: _m, ...rest } = e;
      stream.emit(rest as never);
    }
    expect(sources.list()).toEqual([expect.objectContaining({ id: 'live', kind: 'live', events: 30 })]);
    const page = await sources.query(
      'live',
      { identity: 'CP-1', action: 'Heartbeat', messageType: 2 },
      0,
      100,
    );
    expect(page.total).toBeGreaterThan(5);
    stream.emit({
      kind: 'frame',
      conn: 'c1',
      sender: 'station',
      text: '[2,"z","Heartbeat",{}]',
      msg: { type: 2, id: 'z', action: 'Heartbeat' },
      findings: [],
    });
    expect(
      (await sources.query('live', { identity: 'CP-1', action: 'Heartbeat', messageType: 2 }, 0, 100)).total,
    ).toBe(page.total + 1);
    await expect(sources.close('live')).rejects.toThrow(/cannot be closed/);
  });

  it('opens captures, HAR and bare event files by content, and exports redacted by default', async () => {
    const stream = new EventStream();
    const notices: string[] = [];
    const sources = new CaptureSources(stream, {
      tool: 't',
      onSource: (s) => notices.push(`${s.id}:${s.indexing}`),
    });
    const events = session('c1', 'CP-1', 20);
    const cap = join(dir, 'x.ocppcap.jsonl');
    writeFileSync(cap, encodeCapture(makeHeader('t'), events));
    const har = join(dir, 'x.json'); // wrong extension on purpose: detected by content
    writeFileSync(har, eventsToHar(events));
    const a = await sources.openFile(cap);
    const b = await sources.openFile(har);
    expect(a.events).toBeGreaterThan(0);
    expect(b.events).toBe(20);
    // An imported HAR's connection is named by the identity in its upgrade URL, not only by its id (har-1).
    expect(b.connections).toEqual([{ id: 'har-1', identity: 'CP-1' }]);
    expect(a.connections).toEqual([{ id: 'c1', identity: 'CP-1' }]);
    expect(notices).toContain(`${a.id}:false`);
    const exported = await sources.export(a.id, 'capture', true);
    expect(exported.name).toBe('x.ocppcap.jsonl');
    expect(exported.data).not.toContain('s3cret');
    expect(decodeCaptureBytes(Buffer.from(exported.data)).events).toHaveLength(20);
    const raw = await sources.export(a.id, 'har', false);
    expect(raw.name).toBe('x.har');
    expect(raw.data).toContain(Buffer.from('CP-1:s3cret').toString('base64'));
    const content = await sources.openContent(
      'y.ocppcap.jsonl',
      encodeCapture(makeHeader('t'), events),
      'utf8',
    );
    expect(content).toMatchObject({ events: 20, name: 'y.ocppcap.jsonl' });
    // A capture picked in the browser is indexed from a private temporary file, removed when the source closes.
    const spooled = (sources.get(content.id) as unknown as { path?: string }).path;
    expect(spooled && existsSync(spooled)).toBe(true);
    await sources.close(content.id);
    expect(existsSync(spooled!)).toBe(false);
    await expect(sources.openFile(join(dir, 'missing.pcap'))).rejects.toThrow(/no such file/);
    writeFileSync(join(dir, 'junk.bin'), 'junk');
    await expect(sources.openFile(join(dir, 'junk.bin'))).rejects.toThrow(/unknown file type/);
    await sources.close(a.id);
    expect(sources.list().map((s) => s.id)).not.toContain(a.id);
    await sources.closeAll();
  });
});
