import { performance } from 'node:perf_hooks';

/**
 * How the engine runs a long synchronous job (a file's decode, its sort, the check of a big HAR entry) while it
 * serves chargers: the job is a generator that pauses (yields) after each bounded step, and the event loop gets a
 * turn every TURN_MS of work and at least every MAX_STEPS_PER_TURN steps (a million-frame file takes seconds of CPU;
 * chargers' frames must not wait that long).
 */

/** The longest a job keeps the event loop between two turns it gives (ms), and at most this many steps. */
const TURN_MS = 16;
export const MAX_STEPS_PER_TURN = 8;

/** A macrotask: timers, sockets and I/O callbacks run before the job goes on. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** An input a job reads as it arrives (a file read asynchronously, see FileChunkFeed). */
export interface FedInput {
  /** True when the job paused because the input has not arrived yet. */
  readonly hungry: boolean;
  fed(): Promise<void>;
}

/**
 * Runs `steps` to its end, giving the event loop turns; its result. A pause while `input` is hungry waits for the
 * input instead (the wait is a turn too).
 */
export async function runGivingTurns<R>(steps: Generator<void, R, void>, input?: FedInput): Promise<R> {
  let since = performance.now();
  let n = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (input?.hungry) await input.fed();
    else if (++n < MAX_STEPS_PER_TURN && performance.now() - since < TURN_MS) continue;
    else await nextTurn();
    n = 0;
    since = performance.now();
  }
}

/** Runs `steps` to its end in one go (for who cannot wait: the in-memory decode, tests). */
export function runInOneGo<R>(steps: Generator<void, R, void>): R {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
