import { AutoAnswerBook } from '../../../../electron/engine/station/auto-answer';
import {
  fallbackFrom,
  holdEverythingBook,
  nextCharger,
} from '../../../../electron/engine/replay/engine-links';
import { ChargerPeer, CsmsPeer } from '../../../../electron/engine/checks/check-peer';
import { CheckRun } from '../../../../electron/engine/checks/check-run';
import type { CheckRunOptions } from '../../../../electron/engine/checks/check-run';
import { ConnectionHub } from '../../../../electron/engine/connections/connection-hub';
import { DEFAULT_ENDPOINT_SETTINGS, Endpoint } from '../../../../electron/engine/endpoint/endpoint';
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import type { EndpointSettings } from '../../../../shared/api';
import type { ScopeEvent } from '../../../../shared/capture/events';
import type { RunReport, Scenario } from '../../../../shared/scenario/scenario-types';

/**
 * Runs a charger suite on a loopback endpoint (default settings, or `endpoint`'s: a security profile) against the
 * charger `start` connects to its URL (wss:// when the endpoint speaks TLS).
 */
export async function runAgainstCharger(
  scenario: Scenario,
  start: (url: string) => Promise<{ stop(): Promise<void> }>,
  options: CheckRunOptions = {},
  endpointSettings: Partial<EndpointSettings> = {},
): Promise<{ report: RunReport; events: ScopeEvent[] }> {
  const stream = new EventStream();
  const events: ScopeEvent[] = [];
  stream.subscribe((e) => events.push(e));
  const hub = new ConnectionHub(stream, holdEverythingBook());
  const endpoint = new Endpoint(hub);
  const st = await endpoint.start({
    ...DEFAULT_ENDPOINT_SETTINGS,
    host: '127.0.0.1',
    port: 0,
    protocols: [scenario.version],
    pingIntervalSec: 0,
    callTimeoutSec: 10,
    ...endpointSettings,
  });
  const first = nextCharger(stream, hub, AbortSignal.timeout(15_000));
  const scheme = (endpointSettings.securityProfile ?? 0) >= 2 ? 'wss' : 'ws';
  const charger = start(`${scheme}://127.0.0.1:${st.port}/ocpp`);
  try {
    const conn = await first;
    const book = new AutoAnswerBook();
    const run = new CheckRun(scenario, new ChargerPeer(hub, conn), {
      noPrompt: true,
      defaultTimeoutSec: 3,
      fallbackAnswer: (v, id, action) => fallbackFrom(book, v)(id, action),
      ...options,
    });
    await charger;
    return { report: await run.run(), events };
  } finally {
    await (await charger.catch(() => undefined))?.stop();
    await endpoint.stop();
  }
}

export function verdicts(report: RunReport, verdict: string): string[] {
  return report.cases.filter((c) => c.verdict === verdict).map((c) => c.id);
}

/** Runs a CSMS suite as a charger connected to `url` (with Basic auth when given). */
export async function runAgainstCsms(
  scenario: Scenario,
  url: string,
  options: CheckRunOptions = {},
  basicAuth?: { username: string; password: string },
): Promise<{ report: RunReport; events: ScopeEvent[] }> {
  const stream = new EventStream();
  const events: ScopeEvent[] = [];
  stream.subscribe((e) => events.push(e));
  const hub = new ConnectionHub(stream, holdEverythingBook());
  const peer = new CsmsPeer(hub, {
    url,
    protocols: [scenario.version],
    callTimeoutSec: 10,
    ...(basicAuth ? { basicAuth } : {}),
  });
  const c = await peer.connect();
  if (typeof c === 'string') throw new Error(c);
  const book = new AutoAnswerBook();
  try {
    const run = new CheckRun(scenario, peer, {
      defaultTimeoutSec: 3,
      fallbackAnswer: (v, id, action) => fallbackFrom(book, v)(id, action),
      ...options,
    });
    return { report: await run.run(), events };
  } finally {
    await peer.dispose();
  }
}
