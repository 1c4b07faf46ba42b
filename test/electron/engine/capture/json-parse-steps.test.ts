import { describe, expect, it } from 'vitest';
import { parseJsonInSteps } from '../../../../electron/engine/capture/json-parse-steps';
import type { JsonStepSizes } from '../../../../electron/engine/capture/json-parse-steps';
import { eventsToHar } from '../../../../shared/capture/har';
import { mutateText, Rng, seedHar } from '../../../fuzz/corpus';
import { session } from './fixtures';

/** The steps run to the end: the result, and how many pauses it made. */
function run(
  text: string,
  sizes?: JsonStepSizes,
): { result: { value: unknown } | undefined; pauses: number } {
  const steps = parseJsonInSteps(text, sizes);
  let pauses = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return { result: r.value, pauses };
    pauses++;
  }
}

/** Cut as small as can be (every array or object put together from its members), and a little larger. */
const SMALL: JsonStepSizes[] = [
  { step: 1, piece: 1 },
  { step: 7, piece: 40 },
];

function expectAsJsonParse(text: string): void {
  let reference: { value: unknown } | undefined;
  try {
    reference = { value: JSON.parse(text) as unknown };
  } catch {
    reference = undefined;
  }
  for (const sizes of SMALL) {
    const { result } = run(text, sizes);
    expect(result === undefined, `${JSON.stringify(sizes)} ${text.slice(0, 200)}`).toBe(
      reference === undefined,
    );
    if (!result || !reference) continue;
    expect(result.value).toStrictEqual(reference.value);
    // Same keys in the same order, values alike (toStrictEqual does not look at the order).
    expect(JSON.stringify(result.value)).toBe(JSON.stringify(reference.value));
  }
}

describe('parseJsonInSteps', () => {
  it('gives what JSON.parse gives: members, keys in their order, the last of a key twice, an own __proto__', () => {
    const texts = [
      '{"a":1,"b":[1,2,{"c":null}],"a":2,"2":"x","1":true}',
      ' \t\n{ "a" : [ ] , "b" : { } , "c" : [ 1 , [ 2 , [ 3 ] ] ] }\r\n',
      '{"__proto__":{"polluted":1},"x":{"__proto__":[1]}}',
      '[-0,1e400,-1.5E-3,0.1,"\\u00e9\\ud800\\"\\\\",false]',
      '{"k\\u0041y":"v","":""}',
      `[${'[1,{"a":"]}"}],'.repeat(30)}"end"]`,
      `${'['.repeat(300)}${']'.repeat(300)}`,
      '"just a string"',
      '  42  ',
      seedHar(),
      eventsToHar(session('c1', 'CP-1', 30)),
    ];
    for (const t of texts) expectAsJsonParse(t);
    const polluted = run('{"__proto__":{"polluted":1}}', SMALL[0]).result!.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(polluted)).toBe(Object.prototype);
    expect(Object.keys(polluted)).toEqual(['__proto__']);
  });

  it('refuses what JSON.parse refuses', () => {
    const texts = [
      '',
      ' ',
      '{"a":1,}',
      '[1,]',
      '[1 2]',
      '{"a" 1}',
      '{a:1}',
      '{"a":1}x',
      '{"a":1}}',
      '[1}',
      '{"a":[1]',
      '\ufeff{}',
      '{"a":"\u0001"}',
      '{"a\u0001":1}',
      '["abc]',
      '[01]',
      '[1.]',
      '[tru]',
      '{"a":1 "b":2}',
      '[,1]',
      '{,"a":1}',
    ];
    for (const t of texts) expectAsJsonParse(t);
  });

  it('damaged HARs (the fuzz corpus mutations) read as JSON.parse reads them, or are refused alike', () => {
    const seed = seedHar();
    for (let s = 1; s <= 300; s++) expectAsJsonParse(new TextDecoder().decode(mutateText(seed, new Rng(s))));
  });

  it('pauses while reading a long text with the shipped sizes, never for a short one', () => {
    const long = eventsToHar(session('c1', 'CP-1', 12_000));
    expect(long.length).toBeGreaterThan(1 << 20);
    const { result, pauses } = run(long);
    expect(result!.value).toStrictEqual(JSON.parse(long));
    // At least a pause every 256 K characters of each of the two passes.
    expect(pauses).toBeGreaterThanOrEqual(Math.floor(long.length / (1 << 18)));
    expect(run('{"a":[1,2,3]}').pauses).toBe(0);
  });

  it('puts together 64 levels of nesting at most: deeper ones are one JSON.parse each, without a pause per level', () => {
    // Cut as small as can be, every pause of the first pass is one character; the second pauses once per value it
    // starts. A level past the 64th (ASSEMBLE_DEPTH) adds the first pass's two characters and nothing else.
    const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
    const sizes = SMALL[0];
    const at = (depth: number): number => run(nested(depth), sizes).pauses;
    expect(at(400) - at(200)).toBe(2 * 200);
    // Down to 64 levels, each level is also a value of the second pass: one pause more.
    expect(at(60) - at(40)).toBe(3 * 20);
    // The cap itself: the 65th level is the first read whole (still one value more: 3 pauses), those inside it add
    // their 2 characters only. A cap of 63 or 65 moves the change by one level.
    const added = Array.from({ length: 8 }, (_, k) => at(61 + k) - at(60 + k));
    expect(added).toEqual([3, 3, 3, 3, 3, 2, 2, 2]);
    expect(at(66) - at(64)).toBe(3 + 2);
    // The same value as JSON.parse, however deep.
    expect(run(nested(400), sizes).result!.value).toStrictEqual(JSON.parse(nested(400)));
  });
});
