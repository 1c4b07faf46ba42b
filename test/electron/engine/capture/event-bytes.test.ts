import { describe, expect, it } from 'vitest';
import { decodeCaptureBytes } from '../../../../electron/engine/capture/event-bytes';
import { encodeCapture, makeHeader } from '../../../../shared/capture/format';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { VERBATIM_KEY } from '../../../../shared/capture/verbatim-line';

const frame = (seq: number, text: string): ScopeEvent => ({
  kind: 'frame',
  seq,
  t: 1,
  mono: 1,
  conn: 'c',
  sender: 'station',
  text,
  findings: [],
});

/** A version-2 line with its text verbatim, as the writer makes it. */
function verbatimLine(seq: number, text: string): string {
  const n = Buffer.byteLength(text);
  return `{"textBytes":${n},"kind":"frame","seq":${seq},"t":1,"mono":1,"conn":"c","sender":"station","findings":[]${VERBATIM_KEY}${text}}`;
}

describe('a capture in memory read from its bytes', () => {
  it('reads BOM, CRLF, blank lines, verbatim lines and a cut tail by the capture rules', () => {
    const header = JSON.stringify(makeHeader('t'));
    const texts = [
      // Verbatim lines, one with CRLF, one with two CRs (one is taken off: the line then does not end with "}").
      `${header}\n${verbatimLine(0, '[2,"1","Heartbeat",{}]')}\r\n \t\n\u00a0\n${verbatimLine(1, '[3,"1",{"é":"😀"}]')}\n`,
      `\ufeff${header}\n${verbatimLine(0, '[2,"1","Heartbeat",{}]')}\r\r\n${verbatimLine(1, '[2,"2","Heartbeat",{}]')}`,
      // A length that lies, and a tail cut short.
      `${header}\n${verbatimLine(0, '[2,"1","Heartbeat",{}]').replace('"textBytes":22', '"textBytes":23')}\n${verbatimLine(1, 'x').slice(0, -1)}`,
      encodeCapture(makeHeader('t'), [frame(0, 'a\nb'), frame(1, '€')]).slice(0, -3),
      'not a header\n{"seq":1}\n',
    ];
    const results: [number, string[]][] = [];
    for (const text of texts) {
      const bytes = Buffer.from(text);
      const fromBytes = decodeCaptureBytes(bytes);
      results.push([fromBytes.events.length, fromBytes.findings.map((f) => f.code)]);
    }
    expect(results).toEqual([
      [2, ['capture-event-not-json']], // the line of a no-break space is not blank
      [1, ['capture-event-bad-text']],
      [0, ['capture-event-bad-text', 'capture-truncated-tail']],
      [1, ['capture-truncated-tail']],
      [0, ['capture-header-not-json', 'capture-event-unknown-kind']],
    ]);
    // Offsets count from the file's first byte, a BOM's 3 bytes included (as the file reader's do).
    const behindBom = decodeCaptureBytes(Buffer.from(texts[1]!)).findings[0]!;
    expect(behindBom.message).toMatch(new RegExp(`^Line 2 \\(byte ${3 + Buffer.byteLength(header) + 1}\\)`));
  });

  it('skips a line of the limit or more unread, with line-too-long at its start (the header then comes after it)', () => {
    const header = JSON.stringify(makeHeader('t'));
    const line = verbatimLine(1, '[2,"1","Heartbeat",{}]');
    const max = 200;
    const long = `${'x'.repeat(max - 1)}\r`;
    const text = `${long}\n${header}\n${line}\n${long}\n${'y'.repeat(max - 1)}\n${line}\n${long}`;
    const r = decodeCaptureBytes(Buffer.from(text), max);
    expect(r.header?.version).toBe(2);
    expect(r.events).toEqual([frame(1, '[2,"1","Heartbeat",{}]'), frame(1, '[2,"1","Heartbeat",{}]')]);
    const at = (n: number): number =>
      Buffer.byteLength(text.split('\n').slice(0, n).join('\n')) + (n ? 1 : 0);
    expect(r.findings).toEqual([
      {
        code: 'capture-line-too-long',
        severity: 'error',
        message: `Line 1 (byte 0): A line is longer than ${max} bytes; it was skipped.`,
      },
      expect.objectContaining({
        code: 'capture-line-too-long',
        message: expect.stringMatching(`^Line 4 \\(byte ${at(3)}\\)`),
      }),
      expect.objectContaining({
        code: 'capture-event-not-json',
        message: expect.stringMatching(`^Line 5 \\(byte ${at(4)}\\)`),
      }),
      expect.objectContaining({
        code: 'capture-line-too-long',
        message: expect.stringMatching(`^Line 7 \\(byte ${at(6)}\\)`),
      }),
    ]);
  });
});
