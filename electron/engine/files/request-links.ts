import type { FrameEvent, ScopeEvent, TransferFrameRef } from '../../../shared/capture/events';
import { plainAddress } from './ftp-data';
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

/** Status notifications, and which kind of request they report on. */
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
  /** Emits a `linked` event on the ticket's newest transfer, or keeps the notification until a transfer starts. */
  link(ticket: TransferTicket, notification: TransferFrameRef): void;
}

/**
 * Reads the event stream for what ties transfers to OCPP: a request sent with a transfer URL attaches its frame to
 * the URL's ticket (so the transfer events name the request and the charger's connection), and a status
 * notification from that charger is linked to the newest matching ticket (by requestId when both carry one).
 * Also remembers which local address each charger reached us on, so its URLs use an address it can reach.
 */
export class RequestLinks {
  private readonly identities = new Map<string, { identity: string; local?: string }>();

  constructor(
    private readonly tickets: TicketBook,
    private readonly target: LinkTarget,
  ) {}

  /** The local address the newest open connection of `identity` arrived on. */
  addressOf(identity: string): string | undefined {
    let found: string | undefined;
    for (const v of this.identities.values()) if (v.identity === identity && v.local) found = v.local;
    return found;
  }

  observe(e: ScopeEvent): void {
    if (e.kind === 'opened') {
      if (!e.ok) return;
      const local = e.handshake.local?.address;
      this.identities.set(e.conn, {
        identity: e.connection.identity,
        ...(local ? { local: plainAddress(local) } : {}),
      });
      if (this.identities.size > 100_000) this.identities.delete(this.identities.keys().next().value ?? '');
      return;
    }
    if (e.kind === 'closed') {
      this.identities.delete(e.conn);
      return;
    }
    if (e.kind !== 'frame' || e.msg?.type !== 2 || !e.msg.action) return;
    const action = e.msg.action;
    if (e.sender === 'csms' && URL_OF[action]) this.onRequest(e, action);
    else if (e.sender === 'station' && NOTIFICATION_OF[action]) this.onNotification(e, action);
  }

  private onRequest(e: FrameEvent, action: string): void {
    const p = payloadOf(e);
    const url = p ? URL_OF[action]?.(p) : undefined;
    if (typeof url !== 'string') return;
    const ticket = this.tickets.get(tokenInUrl(url));
    if (!ticket) return;
    ticket.conn = e.conn;
    ticket.request = { seq: e.seq, action, ...(e.msg ? { messageId: e.msg.id } : {}) };
    if (typeof p?.requestId === 'number') ticket.requestId = p.requestId;
    const known = this.identities.get(e.conn);
    if (ticket.identity === undefined && known) ticket.identity = known.identity;
  }

  private onNotification(e: FrameEvent, action: string): void {
    const p = payloadOf(e) ?? {};
    const direction = NOTIFICATION_OF[action];
    const requestId = typeof p.requestId === 'number' ? p.requestId : undefined;
    const ticket = this.tickets
      .newestFirst()
      .find(
        (t) =>
          t.conn === e.conn &&
          t.purpose !== (direction === 'upload' ? 'download' : 'upload') &&
          (requestId === undefined || t.requestId === undefined || t.requestId === requestId),
      );
    if (!ticket) return;
    const status = typeof p.status === 'string' ? p.status : undefined;
    this.target.link(ticket, {
      seq: e.seq,
      action,
      ...(e.msg ? { messageId: e.msg.id } : {}),
      ...(status !== undefined ? { status } : {}),
    });
  }
}
