import type { FrameEvent, ScopeEvent, TransferFrameRef } from '../../../shared/capture/events';
import { plainAddress } from './ftp-data';
import type { TransferOwner } from './transfer-run';
import type { TicketBook, TransferTicket } from './transfer-tickets';
import { tokenInUrl } from './transfer-tickets';

/** Requests that hand a charger a file URL, and where in their payload the URL sits. */
const URL_OF: Record<string, (p: Record<string, unknown>) => unknown> = {
  GetDiagnostics: (p) => p.location,
  UpdateFirmware: (p) => p.location ?? obj(p.firmware).location,
  SignedUpdateFirmware: (p) => obj(p.firmware).location,
  GetLog: (p) => obj(p.log).remoteLocation,
  PublishFirmware: (p) => p.location,
};

/** Status notifications, and which way the transfer they report on goes. */
const NOTIFICATION_OF: Record<string, 'upload' | 'download'> = {
  DiagnosticsStatusNotification: 'upload',
  LogStatusNotification: 'upload',
  FirmwareStatusNotification: 'download',
  SignedFirmwareStatusNotification: 'download',
};

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function payloadOf(e: FrameEvent): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(e.text);
    return Array.isArray(v) ? obj(v[3]) : undefined;
  } catch {
    return undefined;
  }
}

export interface LinkTarget {
  /** A status notification from charger connection `conn` about a transfer going `direction`. */
  link(conn: string, direction: 'upload' | 'download', notification: TransferFrameRef): void;
}

interface Peer {
  identity: string;
  local?: string;
  remote?: string;
}

const MAX_PEERS = 100_000;

/**
 * Reads the event stream for what ties transfers to OCPP:
 * - a request sent with a transfer URL names the transfer's owner: for a per-transfer ticket, the ticket itself
 *   records the connection, identity and request; a general ticket (the command line's) is resolved per transfer
 *   by the client's address, to the charger connected from there and its newest request carrying that token;
 * - a status notification is handed to the target with its connection and direction.
 * It also remembers which local address each charger reached us on, so its URLs use an address it can reach.
 */
export class RequestLinks {
  private readonly peers = new Map<string, Peer>();
  /** conn -> token -> the newest request on that connection carrying a general ticket's token. */
  private readonly generalRequests = new Map<string, Map<string, TransferFrameRef>>();

  constructor(
    private readonly tickets: TicketBook,
    private readonly target: LinkTarget,
  ) {}

  /** The local address the newest open connection of `identity` arrived on. */
  addressOf(identity: string): string | undefined {
    let found: string | undefined;
    for (const p of this.peers.values()) if (p.identity === identity && p.local) found = p.local;
    return found;
  }

  /** Whom a transfer made with `ticket` from `remoteAddress` belongs to. */
  owner(ticket: TransferTicket | undefined, remoteAddress: string | undefined): TransferOwner {
    if (!ticket) return {};
    if (ticket.purpose !== 'any') {
      return {
        ...(ticket.conn !== undefined ? { conn: ticket.conn } : {}),
        ...(ticket.identity !== undefined ? { identity: ticket.identity } : {}),
        ...(ticket.request ? { request: ticket.request } : {}),
      };
    }
    const remote = plainAddress(remoteAddress);
    let conn: string | undefined;
    for (const [id, p] of this.peers) if (remote && p.remote === remote) conn = id;
    if (conn === undefined) return ticket.identity !== undefined ? { identity: ticket.identity } : {};
    const request = this.generalRequests.get(conn)?.get(ticket.token);
    return { conn, identity: this.peers.get(conn)?.identity ?? '', ...(request ? { request } : {}) };
  }

  observe(e: ScopeEvent): void {
    if (e.kind === 'opened') {
      if (!e.ok) return;
      const local = e.handshake.local?.address;
      const remote = e.handshake.remote?.address;
      this.peers.set(e.conn, {
        identity: e.connection.identity,
        ...(local ? { local: plainAddress(local) } : {}),
        ...(remote ? { remote: plainAddress(remote) } : {}),
      });
      if (this.peers.size > MAX_PEERS) this.forget(this.peers.keys().next().value ?? '');
      return;
    }
    if (e.kind === 'closed') {
      // Kept until the connection's identity reconnects: a charger often uploads after closing (a reboot).
      return;
    }
    if (e.kind !== 'frame' || e.msg?.type !== 2 || !e.msg.action) return;
    const action = e.msg.action;
    if (e.sender === 'csms' && URL_OF[action]) this.onRequest(e, action);
    else if (e.sender === 'station' && NOTIFICATION_OF[action]) this.onNotification(e, action);
  }

  private forget(conn: string): void {
    this.peers.delete(conn);
    this.generalRequests.delete(conn);
  }

  private onRequest(e: FrameEvent, action: string): void {
    const p = payloadOf(e);
    const url = p ? URL_OF[action]?.(p) : undefined;
    if (typeof url !== 'string') return;
    const ticket = this.tickets.get(tokenInUrl(url));
    if (!ticket) return;
    const ref: TransferFrameRef = { seq: e.seq, action, ...(e.msg ? { messageId: e.msg.id } : {}) };
    if (ticket.purpose === 'any') {
      let byToken = this.generalRequests.get(e.conn);
      if (!byToken) this.generalRequests.set(e.conn, (byToken = new Map()));
      byToken.set(ticket.token, ref);
      return;
    }
    ticket.conn = e.conn;
    ticket.request = ref;
    const peer = this.peers.get(e.conn);
    if (ticket.identity === undefined && peer) ticket.identity = peer.identity;
  }

  private onNotification(e: FrameEvent, action: string): void {
    const direction = NOTIFICATION_OF[action];
    if (!direction) return;
    const p = payloadOf(e) ?? {};
    const status = typeof p.status === 'string' ? p.status : undefined;
    this.target.link(e.conn, direction, {
      seq: e.seq,
      action,
      ...(e.msg ? { messageId: e.msg.id } : {}),
      ...(status !== undefined ? { status } : {}),
    });
  }
}
