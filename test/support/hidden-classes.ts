// Run as `node --allow-natives-syntax --import tsx test/support/hidden-classes.ts` (see
// test/electron/engine/connections/double-zero.test.ts): prints, as JSON, whether the engine's per-connection
// objects kept their hidden class (V8's map) through traffic with fractional times, each compared with an object
// of its kind made before and left untouched.
import { Connection } from '../../electron/engine/connections/connection';
import { EventStream } from '../../electron/engine/connections/event-stream';
import { frameEvent } from '../../electron/engine/connections/frame-intake';
import { IntakeLane } from '../../electron/engine/connections/intake-lane';
import type { LaneOwner } from '../../electron/engine/connections/intake-lane';
import { LoopShare } from '../../electron/engine/connections/loop-share';
import { AutoAnswerBook } from '../../electron/engine/station/auto-answer';
import type { Analysis } from '../../shared/ocpp/pipeline';

const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

let now = 1000.25;
const share = new LoopShare({ clock: () => now });
let handled: () => void = () => {};
const owner: LaneOwner = {
  laneFrame: () => handled(),
  lanePause() {},
  laneResume() {},
  laneSlowed() {},
};
const lane = (): IntakeLane => new IntakeLane(0, owner, share);

// Lanes and plain accounts: four use the engine a little, one far past its part, so it is made to wait (its wait
// and its slack set to fractions of a ms).
const untouchedLane = lane();
const untouchedAccount = share.account();
const light = [lane(), lane(), share.account(), share.account()];
const heavyLane = lane();
const heavyAccount = share.account();
for (let i = 0; i < 40; i++) {
  now += 0.37;
  for (const a of light) share.charge(a, 0.21, now);
  share.charge(heavyLane, 3.3, now);
  share.charge(heavyAccount, 3.3, now);
}
const slowed = heavyLane.blockedUntil > now && heavyAccount.blockedUntil > now;
// A frame of the slowed lane waits (an episode opens), then goes when the share's clock has passed its wait.
heavyLane.offer(Buffer.from('[2,"1","Heartbeat",{}]'), false, now - 0.125);
const queued = heavyLane.queued;
now = heavyLane.blockedUntil + 0.375;
// The lane's timer does not hold the process open (unref'd): this one does, until the frame is handled.
const keepAlive = setTimeout(() => {}, 30_000);
await new Promise<void>((resolve) => (handled = resolve));
clearTimeout(keepAlive);
heavyLane.stop();

// A frame event, stamped with a time at the wire that is a fraction of a ms.
const analysis = {
  msg: { type: 2, id: '1', action: 'Heartbeat' },
  findings: [],
  frame: undefined,
} as Analysis;
const untouchedEvent = frameEvent('c', 'station', '[2,"1","Heartbeat",{}]', analysis);
const stream = new EventStream();
const event = frameEvent('c', 'station', '[2,"1","Heartbeat",{}]', analysis);
stream.emit(event, 1234.5678);

// A connection's counters and last round trip: past 1 GiB, and a round trip of a whole number of ms after fractions.
const setup = {
  answers: new AutoAnswerBook(),
  pingIntervalSec: 0,
  callTimeoutSec: 30,
  limits: { maxFrameBytes: 1 << 20, maxFramesPerSec: 0 },
  observers: undefined,
};
const connection = (id: string): Connection =>
  new Connection({ id, role: 'endpoint', identity: id, url: `/${id}`, stream, setup });
const untouchedConnection = connection('a');
const busy = connection('b');
busy.bytes += 0.5 * 2 ** 31 + 17;
busy.bytes += 2 ** 31;
busy.lastRttMs = 12.345;
busy.lastRttMs = 7;

process.stdout.write(
  JSON.stringify({
    slowed,
    queued,
    slack: heavyLane.slack,
    lane: sameMap(untouchedLane, heavyLane),
    account: sameMap(untouchedAccount, heavyAccount),
    event: sameMap(untouchedEvent, event),
    connection: sameMap(untouchedConnection, busy),
    lastRttMs: busy.lastRttMs,
  }),
);
