/**
 * Zero for a number field that later holds fractional values (times, costs): -0, which is 0 to <, <=, ===, + and -
 * with any other number but is not a small integer, so V8 gives the field a floating-point slot from the object's
 * creation. Object.is, 1 / x, Math.sign and locale formatting tell it from 0: a value that leaves the engine (a
 * status, a report) goes through plainZero.
 *
 * A field created as 0 starts as a small integer; the first fraction stored in it changes its representation, and
 * with it the hidden class of every object of that class (the old one deprecated, each object migrated when next
 * touched). When that came after the hot path was compiled (a connection's lane first made to wait, the rule clock's
 * first pass, seconds into a run), the compiled code could not be replaced: with 1,000 chargers the optimising
 * compiler gave up on the answer path over and over ("Maps became deprecated during optimization", 139 times in
 * one run), which ran unoptimised from then on at 1.5-2x the CPU per call, in that process only.
 */
export const DOUBLE_ZERO = -0;

/** `x` as it leaves the engine (a status, a report): +0 for the -0 a field started as, any other number as it is. */
export function plainZero(x: number): number {
  return x === 0 ? 0 : x;
}
