/**
 * A value that settles `ms` after its last change: what is asked of the engine once typing pauses, not at every
 * keystroke (a CRL path re-read the file for each character typed).
 */
export class Settler<T> {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ms: number,
    private readonly settled: (value: T) => void,
  ) {}

  /** The value changed: it settles `ms` from now, unless it changes again first. */
  change(value: T): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.settled(value);
    }, this.ms);
  }

  /** Nothing settles (the field is gone). */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
