/** Element moves between two pauses of timeOrderSteps. */
const MOVES_PER_STEP = 1 << 16;

/**
 * The indices 0..n-1 ordered by t[i], stable (equal times keep index order): what sorting them with
 * `(a, b) => t[a] - t[b] || a - b` gives, in steps of bounded work (it pauses after every MOVES_PER_STEP moves), so
 * that a million events out of order do not hold the event loop (see runGivingTurns). A merge sort of the runs
 * already in order: a decode's events are nearly in time order, a few runs to merge.
 */
export function* timeOrderSteps(t: Float64Array, n: number): Generator<void, Uint32Array, void> {
  let a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  // Where each run in order starts, and n: run k is [starts[k], starts[k + 1]).
  let starts: number[] = [0];
  for (let i = 1; i < n; i++) if (t[i]! < t[i - 1]!) starts.push(i);
  starts.push(n);
  let b = new Uint32Array(n);
  let moves = 0;
  while (starts.length > 2) {
    const runs = starts.length - 1;
    const next: number[] = [];
    for (let k = 0; k < runs; k += 2) {
      const lo = starts[k]!;
      const mid = starts[k + 1]!;
      const hi = k + 2 <= runs ? starts[k + 2]! : mid;
      next.push(lo);
      let i = lo;
      let j = mid;
      let o = lo;
      // Strictly less from the right: equal times take the left (earlier) index first.
      while (i < mid && j < hi) {
        b[o++] = t[a[j]!]! < t[a[i]!]! ? a[j++]! : a[i++]!;
        if (++moves >= MOVES_PER_STEP) {
          moves = 0;
          yield;
        }
      }
      // What is left of one run is in order already: copied whole (natively), counted as moves.
      if (i < mid) {
        b.set(a.subarray(i, mid), o);
        moves += mid - i;
      } else if (j < hi) {
        b.set(a.subarray(j, hi), o);
        moves += hi - j;
      }
      if (moves >= MOVES_PER_STEP) {
        moves = 0;
        yield;
      }
    }
    next.push(n);
    starts = next;
    const swap = a;
    a = b;
    b = swap;
  }
  return a;
}
