/**
 * JSON.parse of a long text in steps (a generator that pauses between them, see runGivingTurns), with exactly
 * JSON.parse's result: a HAR entry that must be read whole (har-file-entries.ts) can be megabytes, and one
 * JSON.parse of 7 MB kept the event loop some 45 ms. The text's big arrays and objects are put together here from
 * pieces that JSON.parse reads (their small members, each key, each string), so every value is JSON.parse's own and
 * every character between them is checked here against the JSON grammar; a text JSON.parse refuses is refused.
 */

/** How the work is cut (the defaults; tests use small ones to exercise every path on short texts). */
export interface JsonStepSizes {
  /** About this many characters are read between two pauses. */
  step: number;
  /** An array or object at least this long is put together from its members; a shorter one is one JSON.parse. */
  piece: number;
}

const SIZES: JsonStepSizes = { step: 1 << 18, piece: 1 << 16 };

/**
 * Containers shorter than this (or than `piece`) are not remembered by the first pass: read as one piece, their end
 * is found again then, and they are short.
 */
const REMEMBER_FROM = 256;
/**
 * The most containers the first pass remembers: a hostile text of millions of nested brackets is read with fewer
 * pauses, never more memory than this. The containers not remembered are read as one JSON.parse each.
 */
const REMEMBER_MOST = 1 << 20;
/**
 * The deepest a container is put together from its members; one deeper is read as one JSON.parse. A HAR is a few
 * levels deep; a hostile text of a million nested brackets would otherwise close them all in one step, without a
 * pause, slower than JSON.parse of the whole (about 1 s for 2 MB against 0.35 s).
 */
const ASSEMBLE_DEPTH = 64;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** The index of the quote that ends the string opened at `from`, or -1. */
function stringEnd(text: string, from: number): number {
  let j = from;
  for (;;) {
    j = text.indexOf('"', j + 1);
    if (j < 0) return -1;
    let k = j - 1;
    while (text.charCodeAt(k) === 0x5c) k--;
    if ((j - 1 - k) % 2 === 0) return j;
  }
}

/**
 * The first pass: where each array or object (outside strings) of REMEMBER_FROM characters or more closes, by where
 * it opens; undefined when the brackets do not pair (no JSON then). In steps.
 */
function* containerEnds(
  text: string,
  step: number,
  from: number,
): Generator<void, Map<number, number> | undefined, void> {
  const ends = new Map<number, number>();
  const opens: number[] = [];
  let pause = step;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
      if (i < 0) return undefined;
    } else if (c === 0x7b || c === 0x5b) opens.push(i);
    else if (c === 0x7d || c === 0x5d) {
      const o = opens.pop();
      if (o === undefined || text.charCodeAt(o) !== c - 2) return undefined;
      if (i - o >= from && ends.size < REMEMBER_MOST) ends.set(o, i);
    }
    if (i >= pause) {
      pause = i + step;
      yield;
    }
  }
  return opens.length === 0 ? ends : undefined;
}

/** Where the value at `i` ends (exclusive), as far as JSON.parse of it is to tell whether it is one; -1: never. */
function valueEnd(text: string, i: number, known: number | undefined): number {
  if (known !== undefined) return known + 1;
  const c = text.charCodeAt(i);
  if (c === 0x22) {
    const e = stringEnd(text, i);
    return e < 0 ? -1 : e + 1;
  }
  if (c === 0x7b || c === 0x5b) {
    // A short container (the first pass found its brackets paired): to its close.
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === 0x22) {
        j = stringEnd(text, j);
        if (j < 0) return -1;
      } else if (d === 0x7b || d === 0x5b) depth++;
      else if ((d === 0x7d || d === 0x5d) && --depth === 0) return j + 1;
    }
    return -1;
  }
  // A number or a literal (or something JSON.parse refuses): to the next character that may follow a value.
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (isSpace(d) || d === 0x2c || d === 0x7d || d === 0x5d) break;
    j++;
  }
  return j;
}

/** An array or object being put together: its members so far, and for an object the key of the next one. */
interface Open {
  array: unknown[] | undefined;
  object: Record<string, unknown> | undefined;
  key: string;
}

/** A member into an object as JSON.parse puts it (an own "__proto__" too; the last of a key twice wins). */
function put(o: Open, value: unknown): void {
  if (o.array) o.array.push(value);
  else if (o.key === '__proto__')
    Object.defineProperty(o.object, o.key, { value, writable: true, enumerable: true, configurable: true });
  else o.object![o.key] = value;
}

function parsed(piece: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(piece) as unknown };
  } catch {
    return undefined;
  }
}

/**
 * JSON.parse(text) in steps: `{ value }`, or undefined where JSON.parse throws. A text shorter than one step is one
 * JSON.parse.
 */
export function* parseJsonInSteps(
  text: string,
  sizes: JsonStepSizes = SIZES,
): Generator<void, { value: unknown } | undefined, void> {
  if (text.length < sizes.step) return parsed(text);
  const ends = yield* containerEnds(text, sizes.step, Math.min(REMEMBER_FROM, sizes.piece));
  if (!ends) return undefined;
  const stack: Open[] = [];
  let i = skipSpace(text, 0);
  let pause = i + sizes.step;
  /** Reads an object's key and its colon at i (after `{` or a comma); false when they are not there. */
  const key = (o: Open): boolean => {
    if (text.charCodeAt(i) !== 0x22) return false;
    const e = stringEnd(text, i);
    const k = e < 0 ? undefined : parsed(text.slice(i, e + 1));
    if (k === undefined) return false;
    o.key = k.value as string;
    i = skipSpace(text, e + 1);
    if (text.charCodeAt(i) !== 0x3a) return false;
    i = skipSpace(text, i + 1);
    return true;
  };
  for (;;) {
    if (i >= pause) {
      pause = i + sizes.step;
      yield;
    }
    // A value starts at i.
    let value: unknown;
    const c = text.charCodeAt(i);
    const known = c === 0x7b || c === 0x5b ? ends.get(i) : undefined;
    if (known !== undefined && known - i >= sizes.piece && stack.length < ASSEMBLE_DEPTH) {
      const o: Open =
        c === 0x5b ? { array: [], object: undefined, key: '' } : { array: undefined, object: {}, key: '' };
      i = skipSpace(text, i + 1);
      if (text.charCodeAt(i) !== c + 2) {
        stack.push(o);
        if (o.object && !key(o)) return undefined;
        continue;
      }
      // Empty (only spaces inside).
      i++;
      value = o.array ?? o.object;
    } else {
      const end = valueEnd(text, i, known);
      const v = end < 0 ? undefined : parsed(text.slice(i, end));
      if (v === undefined) return undefined;
      value = v.value;
      i = end;
    }
    // A value is complete: into what holds it, and on past what closes with it.
    for (;;) {
      const o = stack[stack.length - 1];
      if (!o) return skipSpace(text, i) === text.length ? { value } : undefined;
      put(o, value);
      i = skipSpace(text, i);
      const d = text.charCodeAt(i);
      if (d === 0x2c) {
        i = skipSpace(text, i + 1);
        if (o.object && !key(o)) return undefined;
        break;
      }
      if (d !== (o.array ? 0x5d : 0x7d)) return undefined;
      i++;
      stack.pop();
      value = o.array ?? o.object;
    }
  }
}
