import fc from 'fast-check';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countCapture } from '../../../../electron/engine/capture/capture-counts';
import { CaptureFile, readAllEvents } from '../../../../electron/engine/capture/capture-file';
import { CaptureWriter } from '../../../../electron/engine/capture/capture-writer';
import { decodeCaptureBytes, parseEventBytes } from '../../../../electron/engine/capture/event-bytes';
import { exportToFile } from '../../../../electron/engine/capture/export-source';
import { openSourceData, openSourceFile } from '../../../../electron/engine/capture/open-source';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { CAPTURE_FORMAT_VERSION, encodeCapture, makeHeader } from '../../../../shared/capture/format';
import { VERBATIM_HEAD } from '../../../../shared/capture/verbatim-line';
import { suiteTempDir } from '../../../support/temp-dirs';

/**
 * Capture format 2: a frame whose text is one JSON value on one line is written with its text verbatim. Whatever
 * the text, every reader gives back exactly the text written, and only the texts that may go verbatim do.
 */

const dir = suiteTempDir('cw-verbatim');
let files = 0;

// ---- generated texts: JSON with odd whitespace, escapes, unicode, pairs and lone surrogates, and texts that are not

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Picks from `noise` in turn: the same value serializes differently with different noise. */
class Noise {
  private i = 0;
  constructor(private readonly n: number[]) {}
  next(m: number): number {
    return this.n.length === 0 ? 0 : this.n[this.i++ % this.n.length]! % m;
  }
}

const WS = ['', '', '', ' ', '\t', '  ', ' \t ', '\n', '\r\n', '\r'];

function ws(noise: Noise, lineBreaks: boolean): string {
  const w = WS[noise.next(WS.length)]!;
  return lineBreaks ? w : w.replace(/[\r\n]/g, ' ');
}

/** A JSON string literal of s, each character raw or escaped as the noise picks (lone surrogates raw or \u). */
function literal(s: string, noise: Noise): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const pick = noise.next(4);
    const hex = (u: number): string =>
      '\\u' +
      u
        .toString(16)
        .padStart(4, pick === 1 ? '0' : '0')
        .toUpperCase();
    if (ch === '"' || ch === '\\') out += pick === 0 ? hex(c) : '\\' + ch;
    else if (c < 0x20)
      out += pick < 2 && '\b\f\n\r\t'.includes(ch) ? JSON.stringify(ch).slice(1, -1) : hex(c);
    else if (ch === '/' && pick === 0) out += '\\/';
    else if (pick === 3 && c < 0x10000) out += hex(c);
    else if (pick === 3) out += hex(ch.charCodeAt(0)) + hex(ch.charCodeAt(1));
    else out += ch;
  }
  return out + '"';
}

function numberText(n: number, noise: Noise): string {
  if (!Number.isFinite(n)) return '0';
  const pick = noise.next(3);
  if (pick === 0 && Number.isInteger(n) && Math.abs(n) < 1e15) return `${n}.0e0`;
  if (pick === 1) return n.toExponential().replace('e+', 'E+');
  return String(n);
}

function serialize(v: Json, noise: Noise, lineBreaks: boolean): string {
  const w = (): string => ws(noise, lineBreaks);
  if (v === null || typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return numberText(v, noise);
  if (typeof v === 'string') return literal(v, noise);
  if (Array.isArray(v))
    return '[' + w() + v.map((x) => serialize(x, noise, lineBreaks)).join(w() + ',' + w()) + w() + ']';
  const members = Object.entries(v).map(
    ([k, x]) => literal(k, noise) + w() + ':' + w() + serialize(x, noise, lineBreaks),
  );
  return '{' + w() + members.join(w() + ',' + w()) + w() + '}';
}

// Quotes, escapes, control characters, multi-byte characters, pairs and lone surrogates, JSON's own punctuation.
const unit = fc.constantFrom(...'"\\/\n\x00\x1f\x7fa{[é€\u2028},'.split(''), '😀', '𝄞', '\ud800', '\udfff');
const str = fc.oneof(
  fc.string({ unit, maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ maxLength: 30 }),
);
const value: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double(),
    fc.integer(),
    str,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(str, tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** Nested this deep, a payload still goes verbatim: nothing of the text is parsed when it is written or read. */
const deep = (n: number): string => '['.repeat(n) + '1' + ']'.repeat(n);

interface Sample {
  text: string;
  /** What the pipeline would have said: parsed as an OCPP-J message (msg), or not (problem). */
  parsed: boolean;
}

const jsonText = fc
  .tuple(
    value,
    str,
    fc.array(fc.nat(), { minLength: 1, maxLength: 40 }),
    fc.boolean(),
    fc.nat(300),
    fc.nat(5000),
  )
  .map(([payload, id, n, lineBreaks, padding, depth]): Sample => {
    const noise = new Noise(n);
    const outer = noise.next(4) === 0 ? ws(noise, lineBreaks) : '';
    // A frame's text that names a severity and an identity: a verbatim text is not a finding or a charger.
    const body: Json = {
      data: payload,
      severity: 'error',
      identity: 'NOT-A-CHARGER',
      pad: 'p'.repeat(padding),
    };
    let text = serialize([2, id, 'DataTransfer', body], noise, lineBreaks);
    if (depth > 4000) text = text.slice(0, -1) + ',' + deep(depth) + ']';
    if (depth < 300) text = text.slice(0, -1) + `,"${'ü€😀'.repeat(depth)}"]`;
    return { text: outer + text + outer, parsed: true };
  });
const notJson = fc.oneof(
  fc.string({ unit, minLength: 200, maxLength: 600 }).map((t): Sample => ({ text: t, parsed: false })),
  fc
    .string({ unit: 'binary', minLength: 256, maxLength: 600 })
    .map((t): Sample => ({ text: t, parsed: false })),
  // Cut short: JSON-looking, not JSON.
  jsonText.map((s): Sample => ({ text: s.text.slice(0, Math.max(1, s.text.length - 3)), parsed: false })),
);
const sample = fc.oneof({ weight: 3, arbitrary: jsonText }, { weight: 1, arbitrary: notJson });

function event(seq: number, s: Sample): ScopeEvent {
  let parses = s.parsed;
  try {
    parses &&= Array.isArray(JSON.parse(s.text));
  } catch {
    parses = false;
  }
  const base = {
    kind: 'frame',
    seq,
    t: 1_796_575_404_732 + seq,
    mono: seq,
    conn: 'c1',
    sender: 'station',
    text: s.text,
  };
  return (
    parses
      ? { ...base, msg: { type: 2, id: `m${seq}`, action: 'DataTransfer' }, findings: [] }
      : {
          ...base,
          problem: { code: 'not-json', message: 'The frame is not JSON.', errorCode: 'FormatViolation' },
          findings: [{ code: 'frame-not-json', severity: 'error', message: 'The frame is not JSON.' }],
        }
  ) as ScopeEvent;
}

/** What may go verbatim: parsed, `[...]`, one line, UTF-8 exactly it, and within the sizes written from parts. */
function mayGoVerbatim(e: ScopeEvent): boolean {
  if (e.kind !== 'frame' || !e.msg || e.problem) return false;
  const t = e.text;
  return (
    t.length >= 256 &&
    t.length <= 64 * 1024 &&
    t.startsWith('[') &&
    t.endsWith(']') &&
    !/[\r\n]/.test(t) &&
    (t as unknown as { isWellFormed(): boolean }).isWellFormed()
  );
}

function textsOf(events: ScopeEvent[]): string[] {
  return events.map((e) => (e.kind === 'frame' ? e.text : `(${e.kind})`));
}

describe('capture format 2: frame texts verbatim', () => {
  it('every reader gives back exactly the text written; only the texts that may go verbatim do (property test)', async () => {
    const seen = { verbatim: 0, escaped: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(sample, { minLength: 1, maxLength: 12 }), async (samples) => {
        const events = samples.map((s, i) => event(i, s));
        const w = new CaptureWriter({ folder: dir, name: `p${files++}`, tool: 't' });
        for (const e of events) w.write(e);
        w.close();
        const bytes = readFileSync(w.file);
        const written = textsOf(events);

        // The lines: verbatim exactly where allowed, and each one still JSON (textJson is the text parsed).
        const lines = bytes.toString('utf8').split('\n').slice(0, -1);
        expect(JSON.parse(lines[0]!).version).toBe(CAPTURE_FORMAT_VERSION);
        lines.slice(1).forEach((line, i) => {
          const verbatim = line.startsWith(VERBATIM_HEAD);
          seen[verbatim ? 'verbatim' : 'escaped']++;
          expect(verbatim, JSON.stringify(written[i]).slice(0, 80)).toBe(mayGoVerbatim(events[i]!));
          const parsed = JSON.parse(line) as Record<string, unknown>;
          if (verbatim) {
            // The deepest texts are only looked at: walking them whole overflows the test worker's stack.
            if (written[i]!.includes('['.repeat(100))) expect(Array.isArray(parsed.textJson)).toBe(true);
            else expect(parsed.textJson).toEqual(JSON.parse(written[i]!));
            // The exact text: the textBytes bytes before the line's closing brace.
            const b = Buffer.from(line, 'utf8');
            const n = parsed.textBytes as number;
            expect(b.toString('utf8', b.length - 1 - n, b.length - 1)).toBe(written[i]);
          } else expect(parsed.text).toBe(written[i]);
        });

        // The streaming reader (index, pages, a query that reads lines), the codec, and every way a file opens.
        const f = await CaptureFile.open(w.file);
        await f.whenIndexed();
        expect(f.info().findings).toEqual([]);
        expect(textsOf(await readAllEvents(f))).toEqual(written);
        const page = await f.query({ text: 'a' }, 0, 100);
        for (const e of page.events) expect(e.kind === 'frame' && e.text).toBe(written[e.seq]);
        await f.close();
        const decoded = decodeCaptureBytes(bytes);
        expect(decoded.findings).toEqual([]);
        expect(textsOf(decoded.events)).toEqual(written);
        const src = await openSourceFile(w.file, { id: 'x' });
        await src.whenIndexed();
        expect(textsOf((await src.query({}, 0, 100)).events)).toEqual(written);
        // An export (redaction off) is a version-1 file of the same texts.
        const exported = join(dir, `export-${files}.ocppcap.jsonl`);
        await exportToFile(src, exported, { format: 'capture', redact: false, tool: 't' });
        const back = decodeCaptureBytes(readFileSync(exported));
        expect(back.header?.version).toBe(1);
        expect(textsOf(back.events)).toEqual(written);
        await src.close?.();
        const mem = openSourceData('x.ocppcap.jsonl', bytes, 'y');
        expect(textsOf((await mem.query({}, 0, 100)).events)).toEqual(written);
        let at = bytes.indexOf(0x0a) + 1;
        for (const text of written) {
          const nl = bytes.indexOf(0x0a, at);
          const r = parseEventBytes(bytes, at, nl, CAPTURE_FORMAT_VERSION);
          expect(r.ok && r.value.kind === 'frame' && r.value.text).toBe(text);
          at = nl + 1;
        }

        // The library's counts: the same as the version-1 file of the same events (no finding read out of a text).
        const v1 = join(dir, `v1-${files}.ocppcap.jsonl`);
        writeFileSync(v1, encodeCapture({ ...makeHeader('t'), version: 1 }, events));
        const c2 = await countCapture(w.file, statSync(w.file).size);
        const c1 = await countCapture(v1, statSync(v1).size);
        expect({ identities: c2.identities, findings: c2.findings }).toEqual({
          identities: c1.identities,
          findings: c1.findings,
        });
      }),
      { numRuns: 40 },
    );
    // Both ways were written, many times.
    expect(seen.verbatim).toBeGreaterThan(20);
    expect(seen.escaped).toBeGreaterThan(20);
  });
});

describe('capture format 2: what the review found', () => {
  const frame = (seq: number, text: string, extra: Record<string, unknown> = {}): ScopeEvent =>
    ({
      ...extra,
      seq,
      t: 1,
      mono: 1,
      conn: 'c1',
      kind: 'frame',
      sender: 'station',
      text,
      msg: { type: 2, id: '1', action: 'DataTransfer' },
      findings: [],
    }) as ScopeEvent;

  it('a text with lone surrogates, written the version-1 way after a nearly full buffer, is kept whole', async () => {
    // A verbatim-shaped text that falls back to JSON.stringify (each lone surrogate 6 bytes) after ~250 KB pending.
    const filler = `[2,"1","DataTransfer",{"data":"${'a'.repeat(9000)}"}]`;
    const lone = `[2,"1","DataTransfer",{"data":"${'\udc00€'.repeat(32_000)}"}]`;
    for (let pad = 0; pad < 3; pad++) {
      const w = new CaptureWriter({ folder: dir, name: `lone${pad}`, tool: 't' });
      const written: string[] = [];
      for (let i = 0; i < 28 + pad; i++) written.push(filler);
      written.push(lone, filler);
      written.forEach((text, i) => w.write(frame(i, text)));
      w.close();
      const f = await CaptureFile.open(w.file);
      await f.whenIndexed();
      expect(f.info().findings).toEqual([]);
      expect(textsOf(await readAllEvents(f))).toEqual(written);
      await f.close();
    }
  });

  it('a verbatim line whose bytes were damaged is refused in memory as on file, even where U+FFFD makes up its length', async () => {
    const text = `[2,"1","DataTransfer",{"vendorId":"€${'a'.repeat(300)}"}]`;
    const w = new CaptureWriter({ folder: dir, name: 'damaged', tool: 't' });
    w.write(frame(0, text));
    w.write(frame(1, text));
    w.close();
    const bytes = readFileSync(w.file);
    // One continuation byte of the first line's € left out (E2 82 AC -> E2 82), its length left as it was: decoded,
    // the U+FFFD (3 bytes) in place of the two makes up the count.
    const euro = bytes.indexOf(Buffer.from('€'));
    const damaged = Buffer.concat([bytes.subarray(0, euro + 2), bytes.subarray(euro + 3)]);
    const file = join(dir, 'damaged-copy.ocppcap.jsonl');
    writeFileSync(file, damaged);
    const onFile = await openSourceFile(file, { id: 'f' });
    await onFile.whenIndexed();
    const fileEvents = (await onFile.query({}, 0, 10)).events;
    await onFile.close?.();
    const mem = openSourceData('damaged.ocppcap.jsonl', damaged, 'm');
    const memEvents = (await mem.query({}, 0, 10)).events;
    for (const events of [fileEvents, memEvents]) expect(textsOf(events)).toEqual([text]);
    expect(mem.info().findings.map((x) => x.code)).toEqual(['capture-event-bad-text']);
  });

  it("a byte damaged outside a verbatim line's text: read in memory as on file, and later lines keep their byte offsets", async () => {
    const text = `[2,"1","DataTransfer",{"vendorId":"€${'a'.repeat(300)}"}]`;
    const w = new CaptureWriter({ folder: dir, name: 'head-damaged', tool: 't' });
    w.write(frame(0, text));
    w.write(frame(1, text));
    w.close();
    const bytes = readFileSync(w.file);
    // The first frame line's connection "c1" becomes "c" and a byte that is not UTF-8 (its text is untouched), and
    // a line that is not JSON follows the frames.
    const conn = bytes.indexOf('"conn":"c1"') + '"conn":"c'.length;
    const damaged = Buffer.concat([
      bytes.subarray(0, conn),
      Buffer.from([0xff]),
      bytes.subarray(conn + 1),
      Buffer.from('nope\n'),
    ]);
    const badLineAt = damaged.length - 'nope\n'.length;
    const file = join(dir, 'head-damaged-copy.ocppcap.jsonl');
    writeFileSync(file, damaged);
    const onFile = await openSourceFile(file, { id: 'f' });
    await onFile.whenIndexed();
    const fileFrames = (await onFile.query({}, 0, 10)).events.filter((e) => e.kind === 'frame');
    const fileFindings = onFile.info().findings.map((x) => x.message);
    await onFile.close?.();
    const mem = openSourceData('head-damaged.ocppcap.jsonl', damaged, 'm');
    const memFrames = (await mem.query({}, 0, 10)).events.filter((e) => e.kind === 'frame');
    // Both frames, their texts exact; the damaged member read as U+FFFD, as in any line (the text alone is checked).
    expect(textsOf(memFrames)).toEqual([text, text]);
    expect(memFrames.map((e) => e.conn)).toEqual(['c\ufffd', 'c1']);
    expect(memFrames).toEqual(fileFrames);
    // The bad line is where the file has it (the byte that is not UTF-8 counted as one byte, not as U+FFFD's three).
    expect(mem.info().findings.map((x) => [x.code, x.message])).toEqual([
      ['capture-event-not-json', expect.stringContaining(`Line 4 (byte ${badLineAt})`)],
    ]);
    expect(fileFindings).toEqual([expect.stringContaining(`Line 4 (byte ${badLineAt})`)]);
  });

  it('an event holding members named like the verbatim line own is written without them, and reads back', async () => {
    const text = '[2,"1","Heartbeat",{}]';
    const long = `[2,"2","DataTransfer",{"data":"${'b'.repeat(400)}"}]`;
    const odd = { textBytes: 3, textJson: 'x' };
    const w = new CaptureWriter({ folder: dir, name: 'odd', tool: 't' });
    w.write(frame(0, text, odd));
    w.write(frame(1, long, odd));
    w.close();
    const f = await CaptureFile.open(w.file);
    await f.whenIndexed();
    expect(f.info().findings).toEqual([]);
    const events = await readAllEvents(f);
    await f.close();
    expect(textsOf(events)).toEqual([text, long]);
    for (const e of events) expect('textBytes' in e || 'textJson' in e).toBe(false);
    const inMemory = decodeCaptureBytes(Buffer.from(encodeCapture(makeHeader('t'), [frame(0, text, odd)])));
    expect(inMemory.findings).toEqual([]);
    expect(textsOf(inMemory.events)).toEqual([text]);
  });
});
