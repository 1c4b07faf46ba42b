import type { Finding } from '../../../shared/capture/events';
import type { HarMessages } from '../../../shared/capture/har';
import { HarEntryScanner } from '../../../shared/capture/har-entry-scanner';
import { HarListStore } from './har-list-store';
import { runInOneGo } from '../pcap/run-giving-turns';
import { parseJsonInSteps } from './json-parse-steps';
import type { HarList } from './har-list-store';

/** An entry as read: parsed, or undefined when it is not JSON; a big entry's messages apart from it. */
export interface HarEntryRead {
  entry: unknown;
  messages?: HarMessages;
}

/** Entries at least this long (characters) have their messages read one at a time (see har-list-store.ts). */
const SPLIT_CHARS = 1 << 20;

/**
 * A HAR's entries from its bytes as they arrive: one entry (one WebSocket connection) parsed at a time, never the
 * whole document. `problem`, asked once the bytes have ended, says why the file ended before its entries did.
 */
export class HarEntryParser {
  private readonly lists = new HarListStore();
  private readonly scanner = new HarEntryScanner(this.lists);
  private readonly decoder = new TextDecoder();
  private unreadable = 0;
  /** Entries handed over so far. */
  private entries = 0;

  /** `splitAbove`: entries this long or longer have their messages read apart (Infinity: never). */
  constructor(private readonly splitAbove = SPLIT_CHARS) {}

  /** The entries this piece of the file completes. */
  push(chunk: Uint8Array): HarEntryRead[] {
    return runInOneGo(this.pushSteps(chunk));
  }

  /** The entries the end of the file completes. */
  end(): HarEntryRead[] {
    return runInOneGo(this.endSteps());
  }

  /**
   * push in steps: the check that every message of a big entry is JSON pauses after every 2,000 messages, and an
   * entry read whole pauses every 256 K characters (parseJsonInSteps; see runGivingTurns), so the engine serves
   * chargers while a one-connection HAR of a million messages, or a big entry that must be read whole, is read.
   */
  pushSteps(chunk: Uint8Array): Generator<void, HarEntryRead[], void> {
    return this.parseAll(this.scanner.push(this.decoder.decode(chunk, { stream: true })));
  }

  /** end in steps (see pushSteps). */
  endSteps(): Generator<void, HarEntryRead[], void> {
    return this.parseAll(this.scanner.push(this.decoder.decode()));
  }

  private *parseAll(heads: string[]): Generator<void, HarEntryRead[], void> {
    const out: HarEntryRead[] = [];
    for (const head of heads) out.push(yield* this.parse(head));
    return out;
  }

  /**
   * An entry whose message list the scanner handed apart (its text holds `[]` there): its messages read from the
   * list one at a time when the list was clean (only objects, and no other key the entry's JSON.parse could take for
   * it); otherwise, or for an entry shorter than the threshold, its text is put back together exactly and parsed
   * whole.
   */
  private *parse(head: string): Generator<void, HarEntryRead, void> {
    const list = this.lists.take(this.entries++);
    if (!list) return yield* this.parseText(head);
    if (head.length + list.chars >= this.splitAbove && list.clean) return yield* this.parseApart(head, list);
    let whole: string;
    try {
      whole = head.slice(0, list.at) + list.text() + head.slice(list.at);
    } catch {
      // Longer than a string may be (V8's limit, about 512 M characters): this entry cannot be read whole.
      this.unreadable++;
      return { entry: undefined };
    }
    return yield* this.parseText(whole);
  }

  private *parseApart(head: string, list: HarList): Generator<void, HarEntryRead, void> {
    let entry: unknown;
    try {
      entry = JSON.parse(head) as unknown;
    } catch {
      entry = undefined;
    }
    const messages = entry === undefined ? undefined : yield* list.messages();
    if (messages) return { entry, messages };
    this.unreadable++;
    return { entry: undefined };
  }

  private *parseText(text: string): Generator<void, HarEntryRead, void> {
    const parsed = yield* parseJsonInSteps(text);
    if (parsed) return { entry: parsed.value };
    this.unreadable++;
    return { entry: undefined };
  }

  problem(): Finding | undefined {
    const p = this.scanner.problem();
    if (p) return { code: p.code, severity: 'error', message: p.message };
    if (this.unreadable > 0)
      return {
        code: 'har-not-json',
        severity: 'error',
        message: `Not a HAR file: ${this.unreadable} of its entries are not JSON.`,
      };
    return undefined;
  }
}

/** HarEntryParser over a file's chunks, as a generator of entries, each parsed whole (the reference for tests). */
export function harFileEntries(chunks: Iterable<Uint8Array>): {
  entries: Generator<unknown>;
  problem: () => Finding | undefined;
} {
  const parser = new HarEntryParser(Number.POSITIVE_INFINITY);
  function* entries(): Generator<unknown> {
    for (const chunk of chunks) for (const r of parser.push(chunk)) yield r.entry;
    for (const r of parser.end()) yield r.entry;
  }
  return { entries: entries(), problem: () => parser.problem() };
}
