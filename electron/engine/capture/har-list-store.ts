import { MESSAGES_PER_STEP } from '../../../shared/capture/har';
import type { HarMessages } from '../../../shared/capture/har';
import type { HarListSink } from '../../../shared/capture/har-entry-scanner';

/**
 * An entry's `_webSocketMessages` list as the scanner handed it over: its text exactly as written, held as UTF-8
 * bytes (outside the heap, once; a million messages as one string were held twice while joined, and as UTF-16),
 * with where each element lies in it.
 */
export class HarList {
  private buf = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  /** Characters handed over (what the list is long in the entry's text). */
  chars = 0;
  /** Byte offsets: each element's start and end. */
  readonly spans: number[] = [];
  clean = false;

  constructor(
    readonly entry: number,
    readonly at: number,
  ) {}

  append(piece: string): void {
    if (piece.length === 0) return;
    this.chars += piece.length;
    const most = this.used + piece.length * 3;
    if (most > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(most, this.buf.length * 2));
      this.buf.copy(next, 0, 0, this.used);
      this.buf = next;
    }
    this.used += this.buf.write(piece, this.used, 'utf8');
  }

  mark(): void {
    this.spans.push(this.used);
  }

  /** The list's text as written (to read its entry whole). */
  text(): string {
    return this.buf.toString('utf8', 0, this.used);
  }

  /** The list's elements, each parsed when used; undefined when one is not JSON (nor is the entry then). In steps. */
  messages(): Generator<void, HarMessages | undefined, void> {
    const spans = this.spans;
    return lazyMessages(spans.length / 2, (k) =>
      JSON.parse(this.buf.toString('utf8', spans[2 * k], spans[2 * k + 1])),
    );
  }
}

/** The lists a scanner hands over, by the entry they belong to. */
export class HarListStore implements HarListSink {
  private open_: HarList | undefined;
  private readonly done = new Map<number, HarList>();

  open(entry: number, at: number): void {
    this.open_ = new HarList(entry, at);
  }
  text(piece: string): void {
    this.open_?.append(piece);
  }
  element(): void {
    this.open_?.mark();
  }
  close(clean: boolean): void {
    const l = this.open_;
    if (!l) return;
    l.clean = clean;
    this.done.set(l.entry, l);
    this.open_ = undefined;
  }
  spoil(entry: number): void {
    const l = this.done.get(entry);
    if (l) l.clean = false;
  }

  /** The list of entry `entry`, once (it is forgotten here). */
  take(entry: number): HarList | undefined {
    const l = this.done.get(entry);
    if (l) this.done.delete(entry);
    return l;
  }
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
