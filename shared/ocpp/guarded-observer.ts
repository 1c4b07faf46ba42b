import type { Finding } from './finding';
import type { FrameObserver, ObservedFrame, TimedFinding } from './frame-observer';
import type { Sender } from './sender';

/**
 * The calls into an observer, each guarded: an observer that throws (a bug a hostile frame or an odd sequence found)
 * becomes a `rule-failed` finding where it failed, and the frame is still recorded and the connection goes on.
 * Unguarded, the throw would leave the engine's frame path half done (a frame answered but not recorded) or end an
 * import. The default rules are one observer (ConnectionObserver): the rules after the one that failed do not judge
 * that frame, and what the observer concluded on it before the failure is lost.
 */

/**
 * Failures so far per observer (one per connection): a rule whose bug fires on every frame or every tick of the
 * rules' clock would otherwise write a finding each time, a thousand a second across a thousand chargers, and bury
 * what the log is for. The 1st, 2nd, 4th, 8th... failure of an observer is reported, each with the count so far,
 * and a failure at the close always (it happens once).
 */
const failures = new WeakMap<FrameObserver, number>();

/** Whether the `n`th failure of the same thing is reported: the 1st, 2nd, 4th, 8th... (a bounded log for a bug that repeats). */
export function reportsRepeat(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** Says which failure this is and that not every one is reported. */
export function repeatPhrase(n: number, where: string): string {
  return `failure ${n} ${where}, where after the 2nd only the 4th, 8th, 16th... are reported`;
}

/**
 * The finding for this failure, or undefined when it is one of those only counted (see failures); `always` for the
 * close, the last word on a connection.
 */
function ruleFailed(
  observer: FrameObserver,
  what: string,
  error: unknown,
  always = false,
): Finding | undefined {
  const n = (failures.get(observer) ?? 0) + 1;
  failures.set(observer, n);
  if (!always && (n & (n - 1)) !== 0) return undefined;
  const reason = error instanceof Error ? error.message : String(error);
  const count =
    n === 1
      ? ''
      : `; failure ${n} on this connection, where after the 2nd only the 4th, 8th, 16th... are reported`;
  return {
    code: 'rule-failed',
    severity: 'error',
    message: `A behaviour rule failed while ${what}: ${reason} (a bug in the tool; the frame is recorded, but the rules may not have judged all of it${count})`,
  };
}

const NONE: readonly never[] = [];

export function observeGuarded(observer: FrameObserver, frame: ObservedFrame): readonly Finding[] {
  try {
    return observer.observe(frame);
  } catch (error) {
    const f = ruleFailed(observer, `judging frame ${frame.seq}`, error);
    return f ? [f] : NONE;
  }
}

export function advanceGuarded(observer: FrameObserver, t: number): readonly TimedFinding[] {
  try {
    return observer.advance(t);
  } catch (error) {
    const finding = ruleFailed(observer, 'waiting for the time to pass', error);
    return finding ? [{ t, finding }] : NONE;
  }
}

export function closedGuarded(observer: FrameObserver, t: number): readonly TimedFinding[] {
  try {
    return observer.closed(t);
  } catch (error) {
    return [{ t, finding: ruleFailed(observer, 'concluding at the close', error, true)! }];
  }
}

/** 0 (cannot tell: advanced on every tick) for a rule without the method or whose method throws. */
export function quietUntilGuarded(observer: FrameObserver): number {
  try {
    return observer.quietUntil ? observer.quietUntil() : 0;
  } catch {
    return 0;
  }
}

/** True (the answer is parsed for it) for a rule without the method or whose method throws. */
export function readsAnswerGuarded(
  observer: FrameObserver,
  requester: Sender,
  action: string,
  id: string,
): boolean {
  try {
    return observer.readsAnswer === undefined || observer.readsAnswer(requester, action, id);
  } catch {
    return true;
  }
}
