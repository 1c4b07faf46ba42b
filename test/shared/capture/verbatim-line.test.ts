import { describe, expect, it } from 'vitest';
import { parseEventLine } from '../../../shared/capture/format';
import { verbatimSpan, verbatimSpanOfString } from '../../../shared/capture/verbatim-line';

const text = '[2,"m1","DataTransfer",{"data":"é€😀 \\" \\u0041"}]';
const n = new TextEncoder().encode(text).length;
const line = (len: number | string, t = text): string =>
  `{"textBytes":${len},"seq":1,"t":2,"mono":0,"conn":"c1","kind":"frame","sender":"station","findings":[],"msg":{"type":2,"id":"m1","action":"DataTransfer"},"textJson":${t}}`;

describe('a verbatim frame line (format 2)', () => {
  it('gives back the text exactly, from a string and from bytes, and stays JSON', () => {
    const l = line(n);
    const s = verbatimSpanOfString(l);
    expect(s.ok && l.slice(s.textStart, s.textEnd)).toBe(text);
    const b = new TextEncoder().encode(l);
    const sb = verbatimSpan(b, 0, b.length);
    expect(sb.ok && new TextDecoder().decode(b.subarray(sb.textStart, sb.textEnd))).toBe(text);
    const r = parseEventLine(l, 2);
    expect(r.ok && r.value.kind === 'frame' && r.value.text).toBe(text);
    expect(r.ok && 'textBytes' in r.value).toBe(false);
    expect(JSON.parse(l).textJson).toEqual(JSON.parse(text));
  });

  it('refuses a length that cuts a character, lies, or is no length, with the reason; version 1 reads no such line', () => {
    // 😀 is 4 bytes, 2 UTF-16 units; € is 3; é is 2: every length inside the text's last characters cuts one.
    const cases: [string, RegExp][] = [
      [line(n + 1), /not where|cuts a character/],
      [line(n - 1), /not where|cuts a character/],
      [line(n + 1000), /longer than the rest/],
      [line('x'), /not a plain length/],
      [line('012'), /not a plain length/],
      [line(n).slice(0, -1), /does not end/],
    ];
    for (const [l, reason] of cases) {
      const s = verbatimSpanOfString(l);
      expect(s.ok, l).toBe(false);
      expect(!s.ok && s.reason).toMatch(reason);
      const r = parseEventLine(l, 2);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.code).toBe('event-bad-text');
    }
    // A text that ends in a 4-byte character, cut inside it.
    const emoji = '["😀😀"]';
    const cut = verbatimSpanOfString(line(new TextEncoder().encode(emoji).length - 2, emoji));
    expect(!cut.ok && cut.reason).toMatch(/cuts a character|not where/);
    // In a version-1 file the same line is plain JSON: an event without its text.
    expect(parseEventLine(line(n), 1)).toMatchObject({ ok: false, code: 'event-missing-field' });
  });
});
