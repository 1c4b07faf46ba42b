/**
 * Where a scanner hands an entry's `_webSocketMessages` list instead of keeping it in the entry's text (a long
 * session is one entry: a million messages must not be held as one string, twice while it is joined). What the list
 * holds goes to `text` piece by piece, exactly as written; `element` marks where each of its objects starts and ends.
 */
export interface HarListSink {
  /** The list of the `entry`-th entry (0-based, in file order) opens after `at` characters of its text. */
  open(entry: number, at: number): void;
  text(piece: string): void;
  element(): void;
  /** `clean`: the list held only objects, with what JSON allows between them (else read the entry whole). */
  close(clean: boolean): void;
  /**
   * The `entry`-th entry, whose list was closed clean, has another key JSON.parse may take for the list (the key
   * again, or one written with escapes): the list handed over may not be the entry's, so read the entry whole.
   */
  spoil(entry: number): void;
}

const enum List {
  Start,
  In,
  After,
  Comma,
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Keys are read up to this length: longer ones make the entry's list unsure (read whole, as JSON.parse reads it). HAR
 * writers' keys are short; the limit bounds the work on a hostile file, not a real one.
 */
const MAX_KEY_CHARS = 256;

/**
 * Finds the elements of a HAR's `log.entries` array in JSON text that arrives in pieces (a file read chunk by
 * chunk), and hands each entry's text over as soon as it is complete: a HAR of any size is read holding one entry
 * at a time, never the whole document. Only the document's structure is read here (strings, nesting, the two
 * keys on the way); each entry is then parsed on its own. Never throws: what is wrong is said by `problem()`.
 * With a HarListSink, each entry's `_webSocketMessages` list goes to the sink as it is read, not into the entry.
 */
export class HarEntryScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The text of the string being read, while it may still be a key we look for. */
  private str = '';
  private strTooLong = false;
  private lastString: string | undefined;
  private keyAt: (string | undefined)[] = [];
  /** Depth of the log object's inside, and of the entries array's inside, once found. */
  private logDepth = -1;
  private entriesDepth = -1;
  private entriesDone = false;
  /** Pieces of the entry being read (from its `{`), when inside one. */
  private entry: string[] | undefined;
  private entryFrom = 0;
  private notJson: string | undefined;
  private started = false;
  /** Entries started so far. */
  private entries = 0;
  /** Depth inside the `_webSocketMessages` list being handed to the sink, while it is open. */
  private listDepth = -1;
  private listFrom = 0;
  private listState = List.Start;
  private listClean = true;
  private listDone = false;
  /** A key of the entry being read that may be `_webSocketMessages` besides the list handed over (see spoil). */
  private keyUnsure = false;

  /** `lists`: where entries' `_webSocketMessages` lists go instead of the entries' text (none: kept in it). */
  constructor(private readonly lists?: HarListSink) {}

  /** The complete entry texts this piece ends. */
  push(text: string): string[] {
    const out: string[] = [];
    if (this.notJson !== undefined) return out;
    if (this.entry) this.entryFrom = 0;
    this.listFrom = 0;
    const lists = this.lists;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) {
          this.escaped = true;
          // An entry's key written with escapes is never taken for _webSocketMessages (the entry is read whole).
          if (this.entry !== undefined) this.strTooLong = true;
        } else if (c === 0x22) {
          this.inString = false;
          this.lastString = this.strTooLong ? undefined : this.str;
        } else if (
          !this.strTooLong &&
          (this.entry === undefined || (lists && this.depth === this.entriesDepth + 1))
        ) {
          if (this.str.length < MAX_KEY_CHARS) this.str += text[i];
          else this.strTooLong = true;
        }
        continue;
      }
      if (this.depth === this.listDepth && this.listState !== List.In && lists) {
        // Between the list's elements: only what JSON allows there keeps it clean.
        if (isSpace(c)) continue;
        if (c === 0x7b) {
          if (this.listState === List.After) this.listClean = false;
          lists.text(text.slice(this.listFrom, i));
          this.listFrom = i;
          lists.element();
          this.listState = List.In;
          this.depth++;
          this.keyAt[this.depth] = undefined;
          continue;
        }
        if (c === 0x2c && this.listState === List.After) {
          this.listState = List.Comma;
          continue;
        }
        if (c === 0x5d) {
          if (this.listState === List.Comma) this.listClean = false;
          lists.text(text.slice(this.listFrom, i));
          lists.close(this.listClean && !this.keyUnsure);
          this.listDepth = -1;
          this.entryFrom = i;
          this.depth--;
          continue;
        }
        this.listClean = false;
      }
      if (c <= 0x20) continue;
      if (!this.started) {
        this.started = true;
        if (c !== 0x7b) {
          this.notJson = 'the content is not a JSON object';
          return out;
        }
      }
      if (c === 0x22) {
        this.inString = true;
        this.str = '';
        this.strTooLong = false;
      } else if (c === 0x3a) {
        this.keyAt[this.depth] = this.lastString;
        if (
          lists &&
          this.entry &&
          this.depth === this.entriesDepth + 1 &&
          (this.lastString === undefined || (this.listDone && this.lastString === '_webSocketMessages'))
        ) {
          // JSON.parse keeps the last of a key given twice, and reads escapes (or a long key) we do not.
          if (this.listDone && this.listDepth < 0) lists.spoil(this.entries - 1);
          this.keyUnsure = true;
        }
      } else if (c === 0x7b || c === 0x5b) {
        const key = this.keyAt[this.depth];
        if (this.depth === 1 && this.logDepth < 0 && c === 0x7b && key === 'log') this.logDepth = 2;
        else if (
          this.depth === 2 &&
          this.logDepth === 2 &&
          c === 0x5b &&
          key === 'entries' &&
          this.entriesDepth < 0
        )
          this.entriesDepth = 3;
        else if (this.depth === this.entriesDepth && c === 0x7b && !this.entriesDone) {
          this.entry = [];
          this.entryFrom = i;
          this.entries++;
          this.listDone = false;
          this.keyUnsure = false;
        } else if (
          lists &&
          this.entry &&
          c === 0x5b &&
          this.depth === this.entriesDepth + 1 &&
          key === '_webSocketMessages' &&
          !this.listDone
        ) {
          this.entry.push(text.slice(this.entryFrom, i + 1));
          lists.open(
            this.entries - 1,
            this.entry.reduce((n, p) => n + p.length, 0),
          );
          this.listDone = true;
          this.listDepth = this.depth + 1;
          this.listFrom = i + 1;
          this.listState = List.Start;
          this.listClean = true;
        }
        this.depth++;
        this.keyAt[this.depth] = undefined;
      } else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth < 0) {
          this.notJson = 'a bracket closes that was never opened';
          return out;
        }
        if (this.listDepth >= 0 && this.depth < this.listDepth && lists) {
          // The list ended with something JSON does not close it with: the entry is read whole.
          lists.text(text.slice(this.listFrom, i));
          lists.close(false);
          this.listDepth = -1;
          this.entryFrom = i;
        }
        if (this.depth === this.listDepth && this.listState === List.In && lists) {
          if (c !== 0x7d) this.listClean = false;
          lists.text(text.slice(this.listFrom, i + 1));
          this.listFrom = i + 1;
          lists.element();
          this.listState = List.After;
        } else if (this.entry && this.depth === this.entriesDepth) {
          this.entry.push(text.slice(this.entryFrom, i + 1));
          out.push(this.entry.join(''));
          this.entry = undefined;
        } else if (this.depth === this.entriesDepth - 1 && this.entriesDepth > 0 && c === 0x5d) {
          this.entriesDone = true;
        }
      }
    }
    if (this.listDepth >= 0 && lists) lists.text(text.slice(this.listFrom));
    else if (this.entry) this.entry.push(text.slice(this.entryFrom));
    return out;
  }

  /** Why the text is not a HAR with entries (call at the end); undefined when it was read to its end. */
  problem(): { code: 'har-not-json' | 'har-no-entries'; message: string } | undefined {
    if (this.notJson !== undefined || !this.started)
      return { code: 'har-not-json', message: `Not a HAR file: ${this.notJson ?? 'the file is empty'}.` };
    if (this.entriesDepth < 0) return { code: 'har-no-entries', message: 'Not a HAR file: no log.entries.' };
    if (this.depth !== 0 || this.inString)
      return {
        code: 'har-not-json',
        message: 'Not a HAR file: the content is not JSON (it ends too early).',
      };
    return undefined;
  }
}
