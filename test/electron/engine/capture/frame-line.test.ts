import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  frameLineParts,
  MAX_PARTS_TEXT,
  PARTS_SCRATCH_BYTES,
  writeJsonString,
} from '../../../../electron/engine/capture/frame-line';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { encodeEventBody } from '../../../../shared/capture/format';

const out = Buffer.alloc(8 * MAX_PARTS_TEXT);
const scratch = Buffer.alloc(PARTS_SCRATCH_BYTES);

/** The line written from parts, as the capture writer does; undefined when it would write it whole. */
function fromParts(event: ScopeEvent): Buffer | undefined {
  const parts = frameLineParts(event);
  if (!parts) return undefined;
  let at = out.write(parts.head, 0, 'utf8');
  at = writeJsonString(parts.text, out, at, scratch);
  if (at < 0) return undefined;
  at += out.write(parts.tail, at, 'utf8');
  return Buffer.from(out.subarray(0, at));
}

function frame(text: string, extra: Partial<ScopeEvent> = {}): ScopeEvent {
  return {
    kind: 'frame',
    conn: 'c1',
    sender: 'station',
    text,
    findings: [],
    msg: { type: 2, id: 'm1', action: 'MeterValues' },
    seq: 7,
    t: 1796575404732,
    mono: 1377.705352,
    ...extra,
  } as ScopeEvent;
}

const pad = (s: string): string => s + ' '.repeat(Math.max(0, 300 - s.length));

describe('a frame line written from parts', () => {
  it('has the bytes of JSON.stringify of the whole event, for every character class a frame can hold', () => {
    const samples = [
      `[2,"m1","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2025-06-01T12:00:00.000Z","sampledValue":[${'{"value":"16.02","unit":"A"},'.repeat(40)}{"value":"1"}]}]}]`,
      pad('[2,"m1","DataTransfer",{"vendorId":"Äöü ✓ €","data":"line\\nbreak \\"quoted\\" back\\\\slash"}]'),
      // Raw control characters (not valid JSON, but a frame is recorded as it came), DEL and the JS line separators.
      pad(
        `[2,"m1","X",{"a":"${Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)).join('')}\x7f\u2028\u2029"}]`,
      ),
      pad('"quotes" only \\ and \\\\ "" \\"'),
      'é'.repeat(MAX_PARTS_TEXT), // 2-byte UTF-8 throughout, at the largest size written from parts
      '€'.repeat(5000) + '"', // 3-byte
    ];
    for (const text of samples) {
      const event = frame(text, { pair: { partnerSeq: 3, rttMs: 0.125 } } as Partial<ScopeEvent>);
      const got = fromParts(event);
      expect(got, text.slice(0, 40)).toBeDefined();
      expect(got!.equals(Buffer.from(encodeEventBody(event), 'utf8'))).toBe(true);
    }
  });

  it('leaves to JSON.stringify what it cannot write the same: lone surrogates, short and huge texts, objects before the text', () => {
    // A surrogate pair is written from parts (UTF-8 holds it, as JSON.stringify leaves it); a lone one is not.
    const paired = frame(pad('emoji 😀 pair'));
    expect(fromParts(paired)?.toString('utf8')).toBe(JSON.stringify(paired));
    expect(fromParts(frame(pad('a lone \ud800 surrogate')))).toBeUndefined();
    expect(frameLineParts(frame('[2,"1","Heartbeat",{}]'))).toBeUndefined();
    expect(frameLineParts(frame('x'.repeat(MAX_PARTS_TEXT + 1)))).toBeUndefined();
    // A field holding an object before the text could hold `"text":""` itself.
    const objectFirst = { msg: { type: 2, id: '"text":""', action: 'A' }, ...frame(pad('t')) } as ScopeEvent;
    expect(frameLineParts(objectFirst)).toBeUndefined();
    const note = {
      kind: 'note',
      conn: 'c1',
      source: 'user',
      text: pad('n'),
      seq: 1,
      t: 1,
      mono: 1,
    } as ScopeEvent;
    expect(frameLineParts(note)).toBeUndefined();
  });

  it('matches JSON.stringify for any text and any string fields before it (property test)', () => {
    const unit = fc.constantFrom(
      '"',
      '\\',
      '\n',
      '\x00',
      '\x1f',
      '\x7f',
      'a',
      '{',
      'é',
      '€',
      '\u2028',
      '😀',
      '\ud800',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', minLength: 256, maxLength: 2000 }),
      fc.string({ unit: 'binary-ascii', minLength: 256, maxLength: 2000 }),
      fc.string({ unit, minLength: 256, maxLength: 2000 }),
    );
    const field = fc.string({ unit: 'binary', maxLength: 40 });
    fc.assert(
      fc.property(text, field, field, (t, conn, id) => {
        const event = frame(t, { conn, msg: { type: 2, id, action: 'A' } } as Partial<ScopeEvent>);
        const got = fromParts(event);
        if (got) expect(got.equals(Buffer.from(encodeEventBody(event), 'utf8'))).toBe(true);
        else expect(/[\ud800-\udfff]/.test(t) || frameLineParts(event) === undefined).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
