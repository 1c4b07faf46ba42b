import { setFlagsFromString } from 'node:v8';

let applied = false;

/**
 * Turns off V8's allocation-site pretenuring for the engine's process, once. V8 judges an allocation site long-lived
 * from scavenges where most of its objects were still alive, and from then on makes its objects in the old
 * generation. With a thousand chargers some per-call site of the frame path was judged so in about half of the server
 * processes (decided early, per process): each such object, dead at once but in the old generation, then keeps the
 * call's young objects it points to alive through every scavenge until the next full collection. Those processes
 * promoted 1.1-1.2 MB per scavenge, their scavenges took twice as long, and a call cost about 1 µs more; with this
 * flag none of 11 processes promoted more than 0.19 MB per scavenge. Its price: one connection with 100 Heartbeats
 * in flight costs about 5% more CPU per call (bench/README.md, "1,000 chargers, CPU per call, fifth round"). A
 * heuristic flag read at each collection, so it takes effect when set after start.
 */
export function keepShortLivedObjectsYoung(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}
