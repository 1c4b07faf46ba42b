import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { RPCClient } from 'ocpp-rpc';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EndpointSettings } from '../../../shared/api';
import type { Finding, ScopeEvent } from '../../../shared/capture/events';
import { ConnectionHub } from '../../../electron/engine/connections/connection-hub';
import { DEFAULT_ENDPOINT_SETTINGS, Endpoint } from '../../../electron/engine/endpoint/endpoint';
import type { EndpointOptions } from '../../../electron/engine/endpoint/endpoint';
import { Station } from '../../../electron/engine/station/station';
import type { StationOptions } from '../../../electron/engine/station/station';

/** One engine for a test: a hub with its event stream, an endpoint on loopback and a station. */
export class Harness {
  readonly hub = new ConnectionHub();
  readonly events: ScopeEvent[] = [];
  readonly endpoint: Endpoint;
  readonly station: Station;
  private waiters: { pred: (e: ScopeEvent) => boolean; resolve: (e: ScopeEvent) => void }[] = [];

  constructor(options: { endpoint?: EndpointOptions; station?: StationOptions } = {}) {
    this.endpoint = new Endpoint(this.hub, { keyKind: 'ec', ...options.endpoint });
    this.station = new Station(this.hub, options.station);
    this.hub.stream.subscribe((e) => {
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => {
        if (!w.pred(e)) return true;
        w.resolve(e);
        return false;
      });
    });
  }

  async listen(settings: Partial<EndpointSettings> = {}): Promise<string> {
    const status = await this.endpoint.start({
      ...DEFAULT_ENDPOINT_SETTINGS,
      host: '127.0.0.1',
      port: 0,
      pingIntervalSec: 0,
      ...settings,
    });
    if (!status.running) throw new Error(status.error);
    return status.urls[0] as string;
  }

  /** Resolves with the first event (already seen or future) matching `pred`; rejects after `ms`. */
  waitFor<E extends ScopeEvent = ScopeEvent>(
    pred: (e: ScopeEvent) => boolean,
    ms = 15_000,
    what = 'event',
  ): Promise<E> {
    const seen = this.events.find(pred);
    if (seen) return Promise.resolve(seen as E);
    return new Promise<E>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      this.waiters.push({
        pred,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as E);
        },
      });
    });
  }

  of<K extends ScopeEvent['kind']>(kind: K, conn?: string): Extract<ScopeEvent, { kind: K }>[] {
    return this.events.filter((e) => e.kind === kind && (conn === undefined || e.conn === conn)) as Extract<
      ScopeEvent,
      { kind: K }
    >[];
  }

  /** The findings with `code` of the engine's notes on `conn` (a call timeout, a dead peer, a slowed lane). */
  noteFindings(conn: string, code: string): Finding[] {
    return this.of('note', conn)
      .flatMap((e) => e.findings ?? [])
      .filter((f) => f.code === code);
  }

  findingCodes(conn?: string): string[] {
    const out: string[] = [];
    for (const e of this.events) {
      if (conn !== undefined && e.conn !== conn) continue;
      if (e.kind === 'frame') out.push(...e.findings.map((f) => f.code));
      if (e.kind === 'note') out.push(...(e.findings ?? []).map((f) => f.code));
      if (e.kind === 'opened') out.push(...e.handshake.findings.map((f) => f.code));
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.hub.list().map((c) => c.close()));
    await this.endpoint.stop();
    this.hub.dispose();
  }
}

/** A temporary directory for certificate files, removed by the returned cleanup. */
export async function tempDir(): Promise<{
  dir: string;
  write: (name: string, text: string) => Promise<string>;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'ocpp-scope-test-'));
  return {
    dir,
    write: async (name, text) => {
      const p = join(dir, name);
      await writeFile(p, text);
      return p;
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

/** ocpp-rpc's typings declare every option required; it fills the defaults itself at run time. */
export function rpcClient(options: {
  endpoint: string;
  identity: string;
  protocols: string[];
  strictMode: boolean;
  reconnect?: boolean;
  strictModeValidators?: unknown[];
}): RPCClient {
  return new RPCClient({ reconnect: false, ...options } as never);
}
