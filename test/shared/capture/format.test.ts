import { describe, expect, it } from 'vitest';
import { encodeCapture, makeHeader, parseEventLine, parseHeaderLine } from '../../../shared/capture/format';
import { decodeCaptureBytes } from '../../../electron/engine/capture/event-bytes';
import type { ScopeEvent } from '../../../shared/capture/events';

const ev: ScopeEvent = {
  kind: 'frame',
  seq: 0,
  t: 1,
  mono: 1,
  conn: 'c',
  sender: 'station',
  text: '[2,"1","Heartbeat",{}]\n',
  findings: [],
};

describe('capture format', () => {
  it('round-trips events exactly, one per line even when the frame text has newlines', () => {
    const text = encodeCapture(makeHeader('t'), [ev, { ...ev, seq: 1, text: 'not json\r\n"x"' }]);
    expect(text.split('\n')).toHaveLength(4);
    const back = decodeCaptureBytes(Buffer.from(text));
    expect(back.findings).toEqual([]);
    expect(back.events).toEqual([ev, { ...ev, seq: 1, text: 'not json\r\n"x"' }]);
    expect(back.header?.format).toBe('ocpp-scope-capture');
  });

  it('names a newer format version, a foreign file and a broken event precisely', () => {
    expect(parseHeaderLine('{"format":"ocpp-scope-capture","version":99}')).toMatchObject({
      ok: false,
      code: 'unsupported-version',
    });
    // A version that does not exist (0, negative, a fraction) is refused as such, not read as some version.
    for (const v of ['0', '-1', '1.5'])
      expect(parseHeaderLine(`{"format":"ocpp-scope-capture","version":${v}}`)).toMatchObject({
        ok: false,
        code: 'unsupported-version',
        reason: `Capture format version ${v} does not exist (versions are whole numbers from 1).`,
      });
    expect(parseHeaderLine('{"format":"ocpp-scope-capture","version":2}')).toMatchObject({ ok: true });
    expect(parseHeaderLine('{"log":{}}')).toMatchObject({ ok: false, code: 'not-a-capture' });
    expect(parseEventLine('{"kind":"frame","seq":1,"t":1,"conn":"c"}')).toMatchObject({
      ok: false,
      code: 'event-missing-field',
    });
    expect(parseEventLine('{"kind":"bogus","seq":1,"t":1,"conn":"c"}')).toMatchObject({
      ok: false,
      code: 'event-unknown-kind',
    });
    expect(parseEventLine('[1,2]')).toMatchObject({ ok: false, code: 'event-not-object' });
  });

  it('keeps everything before a truncated tail and reports line and byte', () => {
    const full = encodeCapture(makeHeader('t'), [ev, { ...ev, seq: 1 }]);
    const cut = full.slice(0, full.length - 10);
    const r = decodeCaptureBytes(Buffer.from(cut));
    expect(r.events).toHaveLength(1);
    const secondLineStart = full.indexOf('\n') + 1 + full.slice(full.indexOf('\n') + 1).indexOf('\n') + 1;
    expect(r.findings[0]).toMatchObject({ code: 'capture-truncated-tail' });
    expect(r.findings[0]!.message).toContain(`Line 3 (byte ${secondLineStart})`);
  });
});
