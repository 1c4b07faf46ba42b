import { describe, expect, it } from 'vitest';
import { behaviourObservers } from '../../../shared/ocpp/behaviour';
import type { ConnectionObserver } from '../../../shared/ocpp/behaviour/connection-observer';
import { advanceGuarded, closedGuarded, observeGuarded } from '../../../shared/ocpp/guarded-observer';
import { parseFrame } from '../../../shared/ocpp/frame';

/** The default rules (one ConnectionObserver per connection) behind the guard, with a fault made in one step. */
function observer(identity: string): ConnectionObserver {
  return behaviourObservers()('1.6', { conn: `c-${identity}`, identity }) as ConnectionObserver;
}

/** Makes a private step of the observer throw, as a bug a hostile frame found would. */
function breakStep(o: ConnectionObserver, step: 'expire' | 'stationRequest'): void {
  (o as unknown as Record<string, () => never>)[step] = () => {
    throw new Error(`${step} bug`);
  };
}

describe('the default rules behind the guard', () => {
  it('a throw while judging a frame is a rule-failed finding, and the next frame is judged afresh', () => {
    const o = observer('CP-1');
    const frame = parseFrame('[2,"a","Heartbeat",{}]', '1.6');
    if (!frame.ok) throw new Error('test frame');
    breakStep(o, 'stationRequest');
    const f = observeGuarded(o, { seq: 1, t: 1000, sender: 'station', frame: frame.frame, findings: [] });
    expect(f.map((x) => [x.code, x.severity])).toEqual([['rule-failed', 'error']]);
    expect(f[0]!.message).toContain('stationRequest bug');
    expect(f[0]!.message).toContain('judging frame 1');
    // Mended (as a fixed build would be), the same observer judges the next frame with nothing left over.
    delete (o as unknown as Record<string, unknown>)['stationRequest'];
    expect(
      observeGuarded(o, { seq: 2, t: 2000, sender: 'station', frame: frame.frame, findings: [] }),
    ).toEqual([]);
  });

  it("a throw in the last advance at the close still ends the connection's part in its identity", () => {
    const first = observer('CP-2');
    const peer = first.peer;
    expect(peer.live).toBe(1);
    breakStep(first, 'expire');
    const out = closedGuarded(first, 5000);
    expect(out.map((x) => [x.t, x.finding.code])).toEqual([[5000, 'rule-failed']]);
    expect(out[0]!.finding.message).toContain('concluding at the close');
    // No longer counted as live (else its identity is never judged as gone), and a second close changes nothing.
    expect(peer.live).toBe(0);
    expect(closedGuarded(first, 6000)).toEqual([]);
    expect(peer.live).toBe(0);
  });

  it('a rule that fails on every tick is reported at its 1st, 2nd, 4th, 8th... failure with the count, and at the close', () => {
    const o = observer('CP-3');
    breakStep(o, 'expire');
    const reported: number[] = [];
    let lastMessage = '';
    for (let tick = 1; tick <= 200; tick++) {
      const out = advanceGuarded(o, tick * 1000);
      if (out.length > 0) {
        expect(out.map((x) => x.finding.code)).toEqual(['rule-failed']);
        reported.push(tick);
        lastMessage = out[0]!.finding.message;
      }
    }
    expect(reported).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    expect(lastMessage).toContain('expire bug');
    expect(lastMessage).toContain('failure 128 on this connection');
    // The close is reported though its count (201) is not a power of two: it is the last word on the connection.
    const atClose = closedGuarded(o, 300_000);
    expect(atClose.map((x) => x.finding.code)).toEqual(['rule-failed']);
    expect(atClose[0]!.finding.message).toContain('failure 201');
    // Another connection's rules start their own count.
    const other = observer('CP-4');
    breakStep(other, 'expire');
    expect(advanceGuarded(other, 1000)[0]!.finding.message).not.toContain('failure');
  });
});
