/**
 * The recently finished requests of one sender on one connection (see pairing.ts): what a reused message id, a late
 * or a second answer is recognised by.
 */

/**
 * A finished request, as a sender's history keeps it: its connection and sender are those of the history, and its
 * type follows from the outcome (only a SEND ends as 'send').
 */
export interface Done {
  id: string;
  action: string;
  seq: number;
  /** When it was sent (monotonic ms), for a request that timed out; 0 for the others. */
  mono: number;
  /** How it ended: 3/4 answered, 'timeout' expired without answer, 'send' a SEND (never answered). */
  outcome: 3 | 4 | 'timeout' | 'send';
  responseSeq?: number;
}

/** The newest entry for an id wins; the oldest entries fall out. */
export interface History {
  get(id: string): Done | undefined;
  has(id: string): boolean;
  add(d: Done): void;
  /** Updates the newest entry for d.id in place (a timed-out request answered late), keeping its age. */
  replace(d: Done): void;
}

/** Starts an entry; never inside one (escaped). */
const ENTRY = '\u0001';
/** Separates an entry's fields; never inside one (escaped). */
const FIELD = '\u0002';
/** Inside a field, the three characters \u0000-\u0002 are written as \u0000 followed by '0', '1' or '2'. */
function escape(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) > 2) i++;
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c <= 2 ? `\u0000${String.fromCharCode(c + 0x30)}` : s[i];
  }
  return out;
}

function unescape(s: string): string {
  if (!s.includes('\u0000')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) out += String.fromCharCode(s.charCodeAt(++i) - 0x30);
    else out += s[i];
  }
  return out;
}

const OUTCOME_CODE = { 3: '3', 4: '4', timeout: 't', send: 's' } as const;

function outcomeOf(code: string): Done['outcome'] {
  return code === '3' ? 3 : code === '4' ? 4 : code === 't' ? 'timeout' : 'send';
}

/**
 * `before`, the entry of `d`, then `after`, as one flat string. Joined, not concatenated: `a + b` makes a tree of
 * pieces (an object of 32 bytes per piece, kept until something reads the string char by char), and the point of
 * this history is to keep no object per entry.
 */
function joined(before: string, d: Done, after: string): string {
  return [
    before,
    ENTRY,
    escape(d.id),
    FIELD,
    escape(d.action),
    FIELD,
    d.seq,
    FIELD,
    OUTCOME_CODE[d.outcome],
    FIELD,
    d.responseSeq ?? '',
    FIELD,
    d.mono,
    after,
  ].join('');
}

/**
 * A small history kept as one string, newest entry first: `\u0001id\u0002action\u0002seq\u0002outcome\u0002
 * responseSeq\u0002mono` each. Ten thousand simulated chargers each remembering their last eight requests as objects
 * (an object and its id string each, over 130 bytes) cost more than all the rest of their analysis; as text an entry
 * is about 75 bytes and there is no object at all. A lookup is one search of the text for the id between an entry's
 * start and its first field separator, which only an entry with exactly that id matches (the separators never occur
 * inside a field: they are escaped).
 */
export class TextHistory implements History {
  private text = '';
  private count = 0;

  constructor(private readonly size: number) {}

  private find(id: string): number {
    return this.count === 0 ? -1 : this.text.indexOf(ENTRY + escape(id) + FIELD);
  }

  /** Where the entry starting at `at` ends. */
  private end(at: number): number {
    const next = this.text.indexOf(ENTRY, at + 1);
    return next < 0 ? this.text.length : next;
  }

  get(id: string): Done | undefined {
    const at = this.find(id);
    if (at < 0) return undefined;
    const f = this.text.slice(at + 1, this.end(at)).split(FIELD);
    return {
      id,
      action: unescape(f[1]!),
      seq: Number(f[2]),
      mono: Number(f[5]),
      outcome: outcomeOf(f[3]!),
      responseSeq: f[4] === '' ? undefined : Number(f[4]),
    };
  }

  has(id: string): boolean {
    return this.find(id) >= 0;
  }

  add(d: Done): void {
    const text = this.text;
    // Full: the oldest (last) entry falls out.
    const kept = this.count >= this.size ? text.slice(0, text.lastIndexOf(ENTRY)) : text;
    if (this.count < this.size) this.count++;
    this.text = joined('', d, kept);
  }

  replace(d: Done): void {
    const at = this.find(d.id);
    if (at < 0) return;
    const text = this.text;
    this.text = joined(text.slice(0, at), d, text.slice(this.end(at)));
  }
}
