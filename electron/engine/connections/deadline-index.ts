/** A call with a deadline from `callDeadlines` (0: none). */
export interface Deadlined {
  deadline: number;
}

/**
 * A connection's calls in flight by deadline: the one call that has it (no allocation: the usual case), or the
 * several armed within one reading of the clock, in the order they were armed (a Set: one of thousands sharing a
 * deadline leaves it without a walk). Lets the deadline queue's question (does a call still have this deadline?) and
 * its call (which timed out?) be a look-up rather than a walk of every call in flight: a walk per deadline made a
 * mass timeout of thousands of calls on one connection quadratic.
 */
export type DeadlineIndex<C extends Deadlined> = Map<number, C | Set<C>>;

/** Adds `c` under its deadline (none: not added), as the newest armed. */
export function indexDeadline<C extends Deadlined>(index: DeadlineIndex<C>, c: C): void {
  const at = c.deadline;
  if (at === 0) return;
  const held = index.get(at);
  if (held === undefined) index.set(at, c);
  else if (held instanceof Set) held.add(c);
  else index.set(at, new Set([held, c]));
}

/** Removes `c` from under its deadline (before that changes, or as it leaves flight). */
export function unindexDeadline<C extends Deadlined>(index: DeadlineIndex<C>, c: C): void {
  const at = c.deadline;
  if (at === 0) return;
  const held = index.get(at);
  if (held === c) index.delete(at);
  else if (held instanceof Set && held.delete(c) && held.size === 0) index.delete(at);
}
