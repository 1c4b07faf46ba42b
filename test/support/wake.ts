import type { EventEmitter } from 'node:events';

type Check<T> = () => T | undefined | false | Promise<T | undefined | false>;

/**
 * A condition re-checked whenever one of the test's event sources reports something (call `notify` from those
 * handlers), instead of on a timer. The wait is bounded: past `ms` it fails naming what it waited for.
 */
export class Wake {
  private readonly listeners = new Set<() => void>();

  /** Call from every handler whose event can change an awaited condition. */
  readonly notify = (): void => {
    for (const l of [...this.listeners]) l();
  };

  until<T>(what: string, check: Check<T>, ms = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let running = false;
      let again = false;
      let settled = false;
      const finish = (fn: () => void): void => {
        settled = true;
        clearTimeout(timer);
        this.listeners.delete(attempt);
        fn();
      };
      // Checks may be async: run one at a time, and once more if an event came in meanwhile.
      const attempt = (): void => {
        if (settled) return;
        if (running) {
          again = true;
          return;
        }
        running = true;
        Promise.resolve()
          .then(check)
          .then(
            (value) => {
              running = false;
              if (value !== undefined && value !== false) finish(() => resolve(value));
              else if (again) {
                again = false;
                attempt();
              }
            },
            (e: unknown) => finish(() => reject(e as Error)),
          );
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`))),
        ms,
      );
      this.listeners.add(attempt);
      attempt();
    });
  }
}

/** The next `event` from `emitter`, bounded: past `ms` it fails naming what it waited for. */
export function nextEvent<A extends unknown[] = unknown[]>(
  emitter: EventEmitter,
  event: string,
  what: string,
  ms = 10_000,
): Promise<A> {
  return new Promise<A>((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, on);
      reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
    }, ms);
    function on(...args: unknown[]): void {
      clearTimeout(timer);
      resolve(args as A);
    }
    emitter.once(event, on);
  });
}
