/**
 * Whether the user just acted on a window (a click, a key, a tap), as Chromium's transient user activation: a page
 * may hand a link to the OS browser only right after the user did something, never on its own (a script navigating
 * or calling window.open in a loop would otherwise open browser tabs at will).
 */

/** Input event types (Electron's InputEvent.type) that count as the user acting. */
const ACTIVATING = new Set([
  'mouseDown',
  'mouseUp',
  'keyDown',
  'rawKeyDown',
  'char',
  'gestureTap',
  'touchEnd',
  'pointerUp',
]);

/** How long an action counts (Chromium's transient activation lasts 5 s; a link click needs far less). */
export const ACTIVATION_MS = 2000;

export class UserActivation {
  private last = -Infinity;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Feed every input event type of the window. */
  note(type: string): void {
    if (ACTIVATING.has(type)) this.last = this.now();
  }

  /** True right after a user action; consumed, so one click opens at most one link. */
  consume(): boolean {
    const ok = this.now() - this.last <= ACTIVATION_MS;
    if (ok) this.last = -Infinity;
    return ok;
  }
}
