/** A call with a deadline from `callDeadlines` (0: none). */
export interface Deadlined {
  deadline: number;
}

/**
 * A connection's calls in flight by deadline: the one call that has it, or the several armed within one reading of
 * the clock. Lets the deadline queue's question (does a call still have this deadline?) and its call (which one
 * timed out?) be a look-up rather than a walk of every call in flight: a walk per deadline made a mass timeout of
 * thousands of calls on one connection quadratic.
 */
export type DeadlineIndex<C extends Deadlined> = Map<number, C | C[]>;

/** Adds `c` under its deadline (none: not added). */
export function indexDeadline<C extends Deadlined>(index: DeadlineIndex<C>, c: C): void {
  const at = c.deadline;
  if (at === 0) return;
  const held = index.get(at);
  if (held === undefined) index.set(at, c);
  else if (Array.isArray(held)) held.push(c);
  else index.set(at, [held, c]);
}

/** Removes `c` from under its deadline (before that changes, or as it leaves flight). */
export function unindexDeadline<C extends Deadlined>(index: DeadlineIndex<C>, c: C): void {
  const at = c.deadline;
  if (at === 0) return;
  const held = index.get(at);
  if (held === c) index.delete(at);
  else if (Array.isArray(held)) {
    const i = held.indexOf(c);
    if (i >= 0) held.splice(i, 1);
    if (held.length === 1) index.set(at, held[0]!);
  }
}
