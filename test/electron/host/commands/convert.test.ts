import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { decodeCaptureBytes } from '../../../../electron/engine/capture/event-bytes';
import { harToEvents } from '../../../../shared/capture/har';
import { runConvert } from '../../../../electron/host/commands/convert';
import { session } from '../../engine/capture/fixtures';
import { testIo } from './cli-test-io';
import { suiteTempDir } from '../../../support/temp-dirs';

const dir = suiteTempDir('convert');
const file = join(dir, 'a.ocppcap.jsonl');
const events = session('c1', 'CP-1', 40);
events.push({
  kind: 'frame',
  seq: 40,
  t: 1_700_000_001_000,
  mono: 0,
  conn: 'c1',
  sender: 'csms',
  text: '[2,"x","ChangeConfiguration",{"key":"AuthorizationKey","value":"deadbeef42"}]',
  msg: { type: 2, id: 'x', action: 'ChangeConfiguration' },
  findings: [],
});
writeFileSync(file, encodeCapture(makeHeader('t'), events));

describe('ocpp-scope convert', () => {
  it('capture -> HAR -> capture keeps frames and times, and redacts secrets by default', async () => {
    const har = join(dir, 'a.har');
    const t = testIo();
    expect(await runConvert([file, har], t.io)).toBe(0);
    const harText = readFileSync(har, 'utf8');
    expect(harText).not.toContain('s3cret');
    expect(harText).not.toContain('deadbeef42');
    expect(harText).toContain('***REDACTED***');
    // The report says what was replaced, by rule.
    expect(t.err()).toMatch(/Redaction replaced \d+ value\(s\)/);
    expect(t.err()).toMatch(/1 +named-secret-value/);
    const imported = harToEvents(harText);
    expect(imported.events.filter((e) => e.kind === 'frame')).toHaveLength(40);
    const back = join(dir, 'b.jsonl');
    expect(await runConvert([har, back], testIo().io)).toBe(0);
    const decoded = decodeCaptureBytes(readFileSync(back));
    expect(decoded.findings).toEqual([]);
    const frames = decoded.events.filter((e) => e.kind === 'frame');
    const original = events.filter((e) => e.kind === 'frame');
    expect(frames.map((e) => e.t)).toEqual(original.map((e) => e.t));
    expect(frames.slice(0, 39).map((e) => e.kind === 'frame' && e.text)).toEqual(
      original.slice(0, 39).map((e) => e.kind === 'frame' && e.text),
    );
  });

  it('keeps secrets only when asked, and filters like inspect', async () => {
    const out = join(dir, 'c.ocppcap.jsonl');
    expect(await runConvert([file, out, '--no-redact', '--action', 'ChangeConfiguration'], testIo().io)).toBe(
      0,
    );
    const d = decodeCaptureBytes(readFileSync(out));
    expect(d.events.map((e) => e.kind)).toEqual(['opened', 'frame']);
    expect(readFileSync(out, 'utf8')).toContain('deadbeef42');
  });

  it('refuses pcap output and unknown extensions with exit 2; a missing input is exit 4', async () => {
    const t = testIo();
    expect(await runConvert([file, join(dir, 'x.pcap')], t.io)).toBe(2);
    expect(t.err()).toContain('writing pcap is not supported');
    expect(await runConvert([file, join(dir, 'x.txt')], testIo().io)).toBe(2);
    expect(await runConvert([join(dir, 'missing.har'), join(dir, 'y.jsonl')], testIo().io)).toBe(4);
    writeFileSync(join(dir, 'bad.har'), '{"log":');
    expect(await runConvert([join(dir, 'bad.har'), join(dir, 'y.jsonl')], testIo().io)).toBe(4);
  });
});
