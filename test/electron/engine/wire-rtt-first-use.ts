import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { actionsSentBy } from '../../../shared/ocpp/actions';
import { exampleRequest } from '../../../shared/ocpp/examples';
import { SUBPROTOCOL_OF } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { Harness } from './engine-harness';
import {
  chargerSendsEach,
  disagreements,
  notRunning,
  opened,
  peerProcess,
  runCleanups,
  stopMeasuring,
  timedCall,
  toolRtts,
} from './wire-rtt-measure';
import type { Cleanups } from './wire-rtt-measure';

/**
 * One run of a first-use RTT check of wire-rtt.test.ts, in a process of its own, so that every run (the first, and
 * any taken again) meets each action for the first time in its process: no schema loaded, made, warmed or compiled
 * by V8 before, as a freshly started tool meets its first charger. The peer is a bare ws peer in a process of its
 * own again (test/support/instant-peer.mjs): it answers while the tool is still at work on the call it just sent
 * (validating it, on the action's first use too, recording it, showing it to the rules), work that would show as a
 * late read of the answer, in the tool's figure only. The peer's figure is its own, from its read to its write.
 *
 *   node --import tsx test/electron/engine/wire-rtt-first-use.ts endpoint|station|proxy
 *
 * Prints `disagreements <JSON list>` (the calls on which the tool's RTT and the peer's disagree; see disagreements
 * in wire-rtt-measure.ts) and exits 0; any other end is a failure of the tool, not a disagreement.
 */

export type FirstUseRole = 'endpoint' | 'station' | 'proxy';

/** The endpoint: every CSMS action of 2.0.1 to a charger process. */
async function endpoint(cleanups: Cleanups): Promise<string[]> {
  const v: OcppVersion = '2.0.1';
  const h = new Harness();
  cleanups.push(() => h.close());
  const url = await h.listen({ protocols: [v] });
  const peer = await peerProcess(['client', `${url}RTTP1`, SUBPROTOCOL_OF[v]], /^open$/m, cleanups);
  const id = (await h.waitFor((e) => e.kind === 'opened' && e.ok)).conn;
  // No wait for the schemas here: the first calls meet the engine as a charger would.
  const conn = h.hub.get(id)!;
  const actions = actionsSentBy(v, 'csms').map((a) => a.name);
  const stolen = new Map<string, number>();
  for (const action of actions) {
    const payload = exampleRequest(v, action);
    await timedCall(stolen, () => conn.sendCall(action, payload, 10));
  }
  await peer.told(actions.length);
  return disagreements(toolRtts(h, id), peer.rtt, notRunning(stolen, peer), actions.length);
}

/** The station: every charger action of 1.6 to a CSMS process. */
async function station(cleanups: Cleanups): Promise<string[]> {
  const v: OcppVersion = '1.6';
  const peer = await peerProcess(['server'], /^listening (\d+)$/m, cleanups);
  const h = new Harness();
  cleanups.push(() => h.close());
  const conn = await h.station.connect({ url: `ws://127.0.0.1:${peer.first[1]}/ocpp/RTTP2`, protocols: [v] });
  if (!conn.isOpen) throw new Error('the station did not connect to the CSMS process');
  // No wait for the schemas here: the first calls meet the engine as a charger would.
  const actions = actionsSentBy(v, 'station').map((a) => a.name);
  const stolen = new Map<string, number>();
  for (const action of actions) {
    const payload = exampleRequest(v, action);
    await timedCall(stolen, () => conn.sendCall(action, payload, 10));
  }
  await peer.told(actions.length);
  return disagreements(toolRtts(h, conn.id), peer.rtt, notRunning(stolen, peer), actions.length);
}

/** The proxy: every charger action of 2.1, from a charger in this thread through the tool to a CSMS process. */
async function proxy(cleanups: Cleanups): Promise<string[]> {
  const v: OcppVersion = '2.1';
  const peer = await peerProcess(['server'], /^listening (\d+)$/m, cleanups);
  const h = new Harness();
  cleanups.push(() => h.close());
  const url = await h.listen({ protocols: [v], upstream: { url: `ws://127.0.0.1:${peer.first[1]}/ocpp/` } });
  const charger = new WebSocket(`${url}RTTP3`, [SUBPROTOCOL_OF[v]]);
  cleanups.push(() => charger.terminate());
  await opened(charger);
  // No wait for the schemas here: the first calls meet the engine as a charger would.
  const stolen = new Map<string, number>();
  const actions = await chargerSendsEach(charger, v, stolen, new Map());
  await peer.told(actions.length);
  // The tool's figure also holds the request's way through it to the CSMS (it is forwarded before any analysis).
  return disagreements(
    toolRtts(h, h.hub.proxyList()[0]!.id),
    peer.rtt,
    notRunning(stolen, peer),
    actions.length,
  );
}

const RUNS: Record<FirstUseRole, (cleanups: Cleanups) => Promise<string[]>> = { endpoint, station, proxy };

async function main(role: string | undefined): Promise<void> {
  const run = RUNS[role as FirstUseRole];
  if (!run) throw new Error(`usage: wire-rtt-first-use.ts endpoint|station|proxy (not ${role})`);
  const cleanups: Cleanups = [];
  let off: string[];
  try {
    off = await run(cleanups);
  } finally {
    await runCleanups(cleanups);
    stopMeasuring();
  }
  process.stdout.write(`disagreements ${JSON.stringify(off)}\n`, () => process.exit(0));
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  main(process.argv[2]).catch((e: unknown) => {
    process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`, () => process.exit(1));
  });
