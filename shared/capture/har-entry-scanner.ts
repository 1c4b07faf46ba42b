/**
 * Finds the elements of a HAR's `log.entries` array in JSON text that arrives in pieces (a file read chunk by
 * chunk), and hands each entry's text over as soon as it is complete: a HAR of any size is read holding one entry
 * at a time, never the whole document. Only the document's structure is read here (strings, nesting, the two
 * keys on the way); each entry is then parsed on its own. Never throws: what is wrong is said by `problem()`.
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

  /** The complete entry texts this piece ends. */
  push(text: string): string[] {
    const out: string[] = [];
    if (this.notJson !== undefined) return out;
    if (this.entry) this.entryFrom = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) {
          this.inString = false;
          this.lastString = this.strTooLong ? undefined : this.str;
        } else if (!this.strTooLong && this.entry === undefined) {
          if (this.str.length < 16) this.str += text[i];
          else this.strTooLong = true;
        }
        continue;
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
        }
        this.depth++;
        this.keyAt[this.depth] = undefined;
      } else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth < 0) {
          this.notJson = 'a bracket closes that was never opened';
          return out;
        }
        if (this.entry && this.depth === this.entriesDepth) {
          this.entry.push(text.slice(this.entryFrom, i + 1));
          out.push(this.entry.join(''));
          this.entry = undefined;
        } else if (this.depth === this.entriesDepth - 1 && this.entriesDepth > 0 && c === 0x5d) {
          this.entriesDone = true;
        }
      }
    }
    if (this.entry) this.entry.push(text.slice(this.entryFrom));
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
