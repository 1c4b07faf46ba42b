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

function ruleFailed(what: string, error: unknown): Finding {
  return {
    code: 'rule-failed',
    severity: 'error',
    message: `A behaviour rule failed while ${what}: ${error instanceof Error ? error.message : String(error)} (a bug in the tool; the frame is recorded, but the rules may not have judged all of it)`,
  };
}

export function observeGuarded(observer: FrameObserver, frame: ObservedFrame): readonly Finding[] {
  try {
    return observer.observe(frame);
  } catch (error) {
    return [ruleFailed(`judging frame ${frame.seq}`, error)];
  }
}

export function advanceGuarded(observer: FrameObserver, t: number): readonly TimedFinding[] {
  try {
    return observer.advance(t);
  } catch (error) {
    return [{ t, finding: ruleFailed('waiting for the time to pass', error) }];
  }
}

export function closedGuarded(observer: FrameObserver, t: number): readonly TimedFinding[] {
  try {
    return observer.closed(t);
  } catch (error) {
    return [{ t, finding: ruleFailed('concluding at the close', error) }];
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
