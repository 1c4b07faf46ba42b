import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annotateFrames } from '../../../shared/capture/annotate';
import type { FrameEvent, OpenedEvent, ScopeEvent } from '../../../shared/capture/events';
import { encodeCapture, encodeEvent, makeHeader } from '../../../shared/capture/format';
import { decodeCaptureBytes } from '../../../electron/engine/capture/event-bytes';
import { eventsToHar, harToEvents } from '../../../shared/capture/har';
import { REDACTED, redactEvent } from '../../../shared/capture/redact';
import {
  learnIds,
  shiftTimestamps,
  structuralDiff,
  substituteIds,
} from '../../../shared/capture/replay-diff';
import type { IdMap } from '../../../shared/capture/replay-diff';
import { analyzeFrame } from '../../../shared/ocpp/analyze';
import { buildCall, parseFrame, problemForEvent } from '../../../shared/ocpp/frame';
import type { JsonValue } from '../../../shared/ocpp/json';
import {
  DEEPER,
  boundedJson,
  isPlainJson,
  jsonTextDepth,
  mapJsonLeaves,
  stringifyJson,
} from '../../../shared/ocpp/json-deep';
import { PairingTracker } from '../../../shared/ocpp/pairing';
import { validatePayload } from '../../../shared/ocpp/schema-registry';
import { jsonTokens } from '../../../renderer/src/logic/json-tokens';
import { editorSchema } from '../../../renderer/src/logic/schema-assembly';

/**
 * Every walk over frame JSON at any depth JSON.parse accepts: 10^5 levels of arrays and objects, mixed at random.
 * A walk may cut what it shows, but never throws and never loses a secret.
 */

const DEPTH = 100_000;

/** A JSON text nested `depth` deep, array or object at each level as the seed says, with `leaf` at the bottom. */
function nested(depth: number, seed: number, leaf = '"x"'): string {
  let s = seed >>> 0 || 1;
  const kinds: boolean[] = [];
  for (let i = 0; i < depth; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    kinds.push((s & 1) === 1);
  }
  const open = kinds.map((isObj) => (isObj ? '{"a":' : '[')).join('');
  const close = kinds
    .reverse()
    .map((isObj) => (isObj ? '}' : ']'))
    .join('');
  return open + leaf + close;
}

const seeds = fc.integer({ min: 1, max: 0x7fffffff });
const runs = { numRuns: 2 };

function frameEvent(text: string, sender: 'station' | 'csms' = 'station', seq = 1): FrameEvent {
  return { kind: 'frame', seq, t: seq, mono: seq, conn: 'c', sender, text, findings: [] };
}

describe('JSON walks at depth 10^5', () => {
  it('stringifyJson, boundedJson and mapJsonLeaves handle any depth; the native stringify does not', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const text = nested(DEPTH, seed);
        const value = JSON.parse(text) as unknown;
        expect(() => JSON.stringify(value)).toThrow(RangeError);
        expect(stringifyJson(value)).toBe(text);
        expect(jsonTextDepth(text)).toBe(DEPTH);
        const cut = boundedJson(value, 8);
        expect(stringifyJson(cut)).toContain(JSON.stringify(DEEPER));
        expect(JSON.stringify(cut).length).toBeLessThan(200);
        const upper = mapJsonLeaves(value, (v) => (typeof v === 'string' ? v.toUpperCase() : v));
        expect(stringifyJson(upper)).toBe(text.replace('"x"', '"X"'));
      }),
      runs,
    );
  });

  it('redaction replaces a secret at the bottom of a 10^5-deep frame and the export still encodes', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const deep = nested(DEPTH, seed, '{"password":"hunter2-deep"}');
        const text = `[2,"1","DataTransfer",{"vendorId":"v","data":"x","extra":${deep}}]`;
        const out = redactEvent(frameEvent(text));
        expect(out.kind === 'frame' && out.text).not.toContain('hunter2-deep');
        expect(out.kind === 'frame' && out.text).toContain(REDACTED);
        const line = encodeEvent(out);
        expect(decodeCaptureBytes(Buffer.from(encodeCapture(makeHeader('t'), [out]))).events).toHaveLength(1);
        expect(line.length).toBeGreaterThan(DEPTH);
      }),
      runs,
    );
  });

  it('replay: diff, id learning, id substitution and timestamp shifting at any depth', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const a = JSON.parse(
          nested(DEPTH, seed, '{"transactionId":5,"t":"2024-01-01T00:00:00Z"}'),
        ) as unknown;
        const b = JSON.parse(
          nested(DEPTH, seed, '{"transactionId":9,"t":"2024-01-01T00:00:05Z","n":1}'),
        ) as unknown;
        const diffs = structuralDiff(a, b);
        expect(diffs).toHaveLength(1);
        expect(diffs[0]!.path.endsWith('/n')).toBe(true);
        const ids: IdMap = new Map();
        learnIds(a, b, ids);
        expect(ids.get('transactionId')?.get('5')).toBe(9);
        const substituted = stringifyJson(substituteIds(a, ids));
        expect(substituted).toContain('"transactionId":9');
        expect(stringifyJson(shiftTimestamps(a, 60_000))).toContain('2024-01-01T00:01:00Z');
        // A diff at the root carries the whole value: it is cut, so the report stays small and clonable.
        const root = structuralDiff(a, 'x');
        expect(JSON.stringify(root).length).toBeLessThan(1000);
      }),
      runs,
    );
  });

  it('the frame view (JSON tokens) folds deep values instead of overflowing or indenting quadratically', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const value = JSON.parse(nested(DEPTH, seed)) as JsonValue;
        const tokens = jsonTokens(value, new Set(['/0']));
        expect(tokens.length).toBeLessThan(1000);
        expect(tokens.some((t) => t.text.includes('nested deeper than'))).toBe(true);
      }),
      runs,
    );
  });

  it('parsing, analysis, pairing, annotation and schema validation: findings, never exceptions', () => {
    fc.assert(
      fc.property(seeds, (seed) => {
        const deep = nested(DEPTH, seed);
        const texts = [
          `[2,"1","DataTransfer",{"vendorId":"v","data":${deep}}]`,
          `[2,"2","Heartbeat",{},${deep}]`,
          `[3,"1",${deep}]`,
          deep,
        ];
        const tracker = new PairingTracker();
        const events: ScopeEvent[] = texts.map((t, i) => frameEvent(t, i === 2 ? 'csms' : 'station', i));
        for (const [i, text] of texts.entries()) {
          const a = analyzeFrame({
            text,
            sender: 'station',
            conn: 'c',
            seq: i,
            mono: i,
            tracker,
            version: '2.0.1',
          });
          if (a.problem)
            expect(() =>
              encodeEvent({ ...frameEvent(text), problem: problemForEvent(a.problem!) }),
            ).not.toThrow();
        }
        expect(() => annotateFrames(events, () => '1.6')).not.toThrow();
        expect(() => encodeCapture(makeHeader('t'), events)).not.toThrow();
        const r = parseFrame(texts[0]!, '2.0.1');
        expect(r.ok).toBe(true);
        if (r.ok && r.frame.type === 2)
          expect(() =>
            validatePayload('2.0.1', 'DataTransfer', 'request', r.frame.type === 2 ? r.frame.payload : {}),
          ).not.toThrow();
      }),
      runs,
    );
  });

  it('HAR export and import of a deep frame', () => {
    const deep = nested(DEPTH, 7);
    const opened: OpenedEvent = {
      kind: 'opened',
      seq: 0,
      t: 0,
      mono: 0,
      conn: 'c',
      ok: true,
      connection: { id: 'c', role: 'station', identity: 'CP', url: 'ws://h/CP', version: '1.6' },
      handshake: {
        request: { startLine: 'GET /CP HTTP/1.1', headers: [] },
        offeredProtocols: ['ocpp1.6'],
        findings: [],
      },
    };
    const har = eventsToHar([
      opened,
      frameEvent(buildCall('1', 'DataTransfer', { vendorId: 'v' }).replace('}]', `,"data":${deep}}]`)),
    ]);
    const back = harToEvents(har);
    expect(back.events.filter((e) => e.kind === 'frame')).toHaveLength(1);
  });

  it('schema assembly copies editor schemas at any depth', () => {
    const deepSchema = JSON.parse(
      nested(DEPTH, 3, '{"type":"object"}').replace(/\[/g, '{"items":').replace(/]/g, '}'),
    ) as Record<string, unknown>;
    expect(() => editorSchema(deepSchema)).not.toThrow();
  });
});

describe('isPlainJson', () => {
  it('is true for what JSON text keeps exactly, false for what it would drop or change', () => {
    fc.assert(
      // fast-check's JSON values include -0, which JSON text turns into 0: the verdict must say exactly whether the
      // round trip gives the value back.
      fc.property(fc.jsonValue(), (v) => {
        const back = JSON.parse(JSON.stringify(v)) as unknown;
        let same = true;
        try {
          expect(back).toStrictEqual(v);
        } catch {
          same = false;
        }
        expect(isPlainJson(v)).toBe(same);
      }),
      { examples: [[{ a: 1, b: 'x', c: [true, null, { d: 2.5 }] }], [{ a: [-0] }]] },
    );
    expect(isPlainJson(Object.create(null) as object)).toBe(true);
    const changed: unknown[] = [
      { a: undefined },
      { a: [1, undefined] },
      { a: Number.NaN },
      { a: Infinity },
      { a: -0 },
      { a: () => 1 },
      { a: new Date(0) },
      { a: Symbol('s') },
      { a: 1n },
    ];
    for (const v of changed) expect(isPlainJson(v)).toBe(false);
  });

  it('is false past its depth bound rather than recursing without end', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(isPlainJson(deep)).toBe(false);
    expect(isPlainJson(deep, 200)).toBe(true);
  });
});
