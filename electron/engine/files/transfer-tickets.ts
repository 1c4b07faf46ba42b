import { randomBytes } from 'node:crypto';
import type { TransferFrameRef } from '../../../shared/capture/events';

export type TicketPurpose = 'upload' | 'download' | 'any';

/**
 * What a token in a URL grants: uploads into one charger's folder, the download of one firmware file, or (the
 * command line's general ticket) both. The OCPP request that carried the token is attached when it is sent.
 */
export interface TransferTicket {
  token: string;
  purpose: TicketPurpose;
  identity?: string;
  /** For a download ticket: the one file (top level of the transfer folder) it may fetch. */
  firmware?: string;
  /** Connection and frame of the OCPP request whose URL carried this token (set when the request is seen). */
  conn?: string;
  request?: TransferFrameRef;
}

/** 24 random bytes, URL- and FTP-password-safe (base64url). */
export function newToken(): string {
  return randomBytes(18).toString('base64url');
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{8,64}$/;

/** Tickets by token. Bounded: the oldest are forgotten past `max` (a UI clicking templates all day must not grow it). */
export class TicketBook {
  private readonly tickets = new Map<string, TransferTicket>();

  constructor(private readonly max = 10_000) {}

  issue(t: Omit<TransferTicket, 'token'> & { token?: string }): TransferTicket {
    const ticket: TransferTicket = { ...t, token: t.token ?? newToken() };
    this.tickets.set(ticket.token, ticket);
    while (this.tickets.size > this.max) {
      const oldest = this.tickets.keys().next().value;
      if (oldest === undefined) break;
      this.tickets.delete(oldest);
    }
    return ticket;
  }

  get(token: string | undefined): TransferTicket | undefined {
    if (token === undefined || !TOKEN_SHAPE.test(token)) return undefined;
    return this.tickets.get(token);
  }
}

/** The token in a transfer URL: `/t/<token>/` in an HTTP path, or the password of an FTP URL. */
export function tokenInUrl(url: string): string | undefined {
  const http = /\/t\/([A-Za-z0-9_-]{8,64})(?:\/|$)/.exec(url);
  if (http) return http[1];
  const ftp = /^ftps?:\/\/[^/:@]*:([A-Za-z0-9_-]{8,64})@/i.exec(url);
  return ftp?.[1];
}
