import { MESSAGES_PER_STEP } from '../../../shared/capture/har';
import type { HarMessages } from '../../../shared/capture/har';

/**
 * A big HAR entry (one connection with all its messages) read without parsing it whole: its `_webSocketMessages`
 * elements are found by their brackets and parsed one at a time as they are used, the rest of the entry parsed with
 * an empty list. Only when that reads exactly what JSON.parse of the whole entry would: every element an object,
 * commas where JSON wants them, one such key. Otherwise (undefined) the entry is parsed whole, as before.
 */

const enum Array_ {
  Start,
  In,
  After,
  Comma,
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** The entry's text with an empty message list, and where each message lies in the text. */
export function splitEntry(text: string): { head: string; spans: number[] } | undefined {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let strStart = -1;
  let lastString: string | undefined;
  let key: string | undefined;
  let arrStart = -1;
  let arrEnd = -1;
  let inArray = false;
  let state = Array_.Start;
  let elemStart = -1;
  const spans: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) {
        inString = false;
        if (depth === 1) lastString = i - strStart < 200 ? text.slice(strStart + 1, i) : undefined;
      }
      continue;
    }
    if (inArray && depth === 2 && state !== Array_.In) {
      // Between the list's elements: only what JSON allows there.
      if (isSpace(c)) continue;
      if (c === 0x7b && (state === Array_.Start || state === Array_.Comma)) {
        elemStart = i;
        state = Array_.In;
        depth++;
        continue;
      }
      if (c === 0x2c && state === Array_.After) {
        state = Array_.Comma;
        continue;
      }
      if (c === 0x5d && state !== Array_.Comma) {
        depth--;
        inArray = false;
        arrEnd = i;
        continue;
      }
      return undefined;
    }
    if (c === 0x22) {
      inString = true;
      strStart = i;
    } else if (c === 0x3a) {
      if (depth === 1) {
        // A key written with escapes (or very long) could still be _webSocketMessages once decoded: parse whole.
        if (lastString === undefined || lastString.includes('\\')) return undefined;
        key = lastString;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (depth === 1 && c === 0x5b && key === '_webSocketMessages') {
        if (arrStart >= 0) return undefined; // the key twice: JSON.parse keeps the last
        arrStart = i;
        inArray = true;
        state = Array_.Start;
      }
      depth++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth < 0) return undefined;
      if (inArray && depth === 2 && state === Array_.In) {
        if (c !== 0x7d) return undefined;
        spans.push(elemStart, i + 1);
        state = Array_.After;
      }
    }
  }
  if (arrStart < 0 || arrEnd < 0) return undefined;
  return { head: text.slice(0, arrStart + 1) + text.slice(arrEnd), spans };
}

/** The messages of a split entry, read from where they lie in its text (see lazyMessages). */
export function entryMessages(text: string, spans: number[]): Generator<void, HarMessages | undefined, void> {
  return lazyMessages(spans.length / 2, (k) => JSON.parse(text.slice(spans[2 * k], spans[2 * k + 1])));
}

/**
 * `count` messages, `read(k)` parsing the k-th, or undefined when one of them is not JSON (the whole entry then is
 * not either). Each is parsed here once to know, and again when used: holding a million parsed messages is what
 * this avoids. In steps (it pauses after every MESSAGES_PER_STEP messages, see runGivingTurns): a million messages
 * take seconds to check.
 */
export function* lazyMessages(
  count: number,
  read: (k: number) => unknown,
): Generator<void, HarMessages | undefined, void> {
  let first: unknown;
  for (let k = 0; k < count; k++) {
    try {
      const m = read(k);
      if (k === 0) first = m;
    } catch {
      return undefined;
    }
    if ((k + 1) % MESSAGES_PER_STEP === 0) yield;
  }
  return {
    first,
    *[Symbol.iterator]() {
      for (let k = 0; k < count; k++) yield read(k);
    },
  };
}
