import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import type { RPCClient } from 'ocpp-rpc';
import type { JsonObject } from '../../../../shared/ocpp/json';
import { SUBPROTOCOL_OF } from '../../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../../shared/ocpp/versions';
import { strictModeValidators } from '../../../support/ocpp-rpc-strict';
import { Wake } from '../../../support/wake';

export interface Received {
  /** Which connection of the charger (a reboot makes a new one). */
  session: number;
  action: string;
  params: JsonObject;
}

/**
 * A CSMS for the simulator's interop tests: ocpp-rpc's server in strict mode, answering every station message with a
 * valid answer (boot Accepted with the interval given), recording what arrived, in order, and every strict failure.
 */
export class CsmsPeer {
  readonly received: Received[] = [];
  readonly failures: unknown[] = [];
  /** 2.1 SEND frames (NotifyPeriodicEventStream) that arrived, in order. */
  readonly sends: Received[] = [];
  readonly wake = new Wake();
  readonly clients: RPCClient[] = [];
  private readonly server: RPCServer;
  port = 0;
  /** What the next BootNotification answers get (Accepted unless a test says otherwise). */
  bootStatus: 'Accepted' | 'Pending' | 'Rejected' = 'Accepted';
  transactionId = 4711;
  /** Answers to these actions wait until the promise settles (a test holds the CSMS back at a chosen moment). */
  readonly gates = new Map<string, Promise<unknown>>();
  /** Runs as a call arrives, before it is answered (a test sends something of its own at that very moment). */
  onCall: ((action: string, session: number, client: RPCClient) => void) | undefined;

  constructor(
    readonly version: OcppVersion,
    /** The interval the boot answers give (a test may change it before the charger connects). */
    public heartbeatSec = 1,
    /** Off only to send calls a strict peer refuses to send (to see how the charger answers them). */
    strict = true,
  ) {
    this.server = new RPCServer({
      protocols: [SUBPROTOCOL_OF[version]],
      strictMode: strict,
      strictModeValidators,
      pingIntervalMs: 0,
    });
    this.server.on('client', (client: RPCClient) => {
      const session = this.clients.length;
      this.clients.push(client);
      client.on('strictValidationFailure', (e: unknown) => {
        this.failures.push(e);
        this.wake.notify();
      });
      client.on('badMessage', (e: { buffer?: Buffer }) => {
        // ocpp-rpc (2.2) knows no message type 6: a 2.1 SEND reaches it as a bad message. Kept apart, not a failure.
        const send = sendOf(e.buffer);
        if (send) this.sends.push({ session, ...send });
        else this.failures.push(e);
        this.wake.notify();
      });
      client.on('close', () => this.wake.notify());
      client.handle(async ({ method = '', params }: { method?: string; params?: unknown }) => {
        this.received.push({ session, action: method, params: (params ?? {}) as JsonObject });
        this.wake.notify();
        this.onCall?.(method, session, client);
        const gate = this.gates.get(method);
        if (gate) await gate;
        return this.answer(method);
      });
      this.wake.notify();
    });
  }

  private answer(method: string): JsonObject {
    const now = new Date().toISOString();
    const v16 = this.version === '1.6';
    switch (method) {
      case 'BootNotification':
        return { status: this.bootStatus, currentTime: now, interval: this.heartbeatSec };
      case 'Heartbeat':
        return { currentTime: now };
      case 'Authorize':
        return v16 ? { idTagInfo: { status: 'Accepted' } } : { idTokenInfo: { status: 'Accepted' } };
      case 'StartTransaction':
        return { transactionId: this.transactionId, idTagInfo: { status: 'Accepted' } };
      case 'StopTransaction':
        return {};
      case 'OpenPeriodicEventStream':
      case 'SignCertificate':
        return { status: 'Accepted' };
      case 'Get15118EVCertificate':
        return { status: 'Accepted', exiResponse: Buffer.from('exi response').toString('base64') };
      case 'GetCertificateStatus':
        return { status: 'Accepted', ocspResult: Buffer.from('ocsp response').toString('base64') };
      default:
        return {};
    }
  }

  async listen(): Promise<string> {
    const http = await this.server.listen(0, '127.0.0.1');
    this.port = (http.address() as AddressInfo).port;
    return `ws://127.0.0.1:${this.port}`;
  }

  of(action: string, session?: number): Received[] {
    return this.received.filter(
      (r) => r.action === action && (session === undefined || r.session === session),
    );
  }

  /** Waits until `count` messages of `action` arrived (in any session, or in the given one). */
  until(action: string, count: number, session?: number): Promise<Received[]> {
    return this.wake.until(
      `${count} × ${action}`,
      () => {
        const list = this.of(action, session);
        return list.length >= count ? list : undefined;
      },
      15_000,
    );
  }

  /** Calls the charger of the latest session. */
  async call(action: string, params: JsonObject): Promise<JsonObject> {
    const client = this.clients[this.clients.length - 1];
    if (!client) throw new Error('no charger connected');
    return (await client.call(action, params)) as JsonObject;
  }

  close(): Promise<unknown> {
    return this.server.close({ force: true });
  }
}

/** The action and payload of a SEND frame (`[6, id, action, payload]`), if `buffer` holds one. */
function sendOf(buffer: Buffer | undefined): { action: string; params: JsonObject } | undefined {
  try {
    const v = JSON.parse(buffer?.toString('utf8') ?? '') as unknown;
    if (!Array.isArray(v) || v[0] !== 6 || typeof v[2] !== 'string') return undefined;
    return { action: v[2], params: (v[3] ?? {}) as JsonObject };
  } catch {
    return undefined;
  }
}
