import type { Finding } from '../../shared/ocpp/finding';
import type { FrameObserverFactory, ObservedFrame } from '../../shared/ocpp/frame-observer';

/**
 * A tiny behaviour rule for the stage's tests: a BootNotification must be answered within 1 s (judged by wire time),
 * and a second Heartbeat request names the first one.
 */
export const bootWatch: FrameObserverFactory = (version) => {
  let bootAt: { seq: number; t: number } | undefined;
  let firstHeartbeat: number | undefined;
  const seen: ObservedFrame[] = [];
  const late = (t: number): Finding => ({
    code: 'test-boot-unanswered',
    severity: 'warning',
    message: `BootNotification (${version ?? '?'}) not answered by ${t}`,
    related: [bootAt!.seq],
  });
  return {
    observe(f) {
      seen.push(f);
      if (f.frame.type === 2 && f.frame.action === 'BootNotification') bootAt = { seq: f.seq, t: f.t };
      if (f.frame.type === 3 && f.request?.action === 'BootNotification') bootAt = undefined;
      if (f.frame.type === 2 && f.frame.action === 'Heartbeat') {
        if (firstHeartbeat === undefined) firstHeartbeat = f.seq;
        else
          return [
            { code: 'test-second-heartbeat', severity: 'info', message: 'again', related: [firstHeartbeat] },
          ];
      }
      return [];
    },
    advance(t) {
      if (!bootAt || t - bootAt.t <= 1000) return [];
      const f = late(t);
      bootAt = undefined;
      return [{ t, finding: f }];
    },
    closed(t) {
      if (!bootAt) return [];
      const f = late(t);
      bootAt = undefined;
      return [{ t, finding: f }];
    },
  };
};
