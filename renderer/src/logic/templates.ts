import type { TransferTicketInfo } from '../../../shared/api';
import type { TransferProtocol } from '../../../shared/capture/events';
import type { JsonObject } from '../../../shared/ocpp/json';

/**
 * Composer templates and the small text surgery the composer does before sending. The text the user wrote is what
 * goes on the wire: the only change ever made is swapping in a fresh message id, and only inside the id's quotes.
 */

/**
 * The frame on as few lines as reads well: the envelope on the first line, the payload pretty-printed below it,
 * `[2, "id", "Action", {` ... `}]`, the way frames are usually written in specifications and tickets.
 */
export function frameText(value: unknown[]): string {
  const last = value[value.length - 1];
  const head = value.slice(0, -1).map((v) => JSON.stringify(v));
  if (last === null || typeof last !== 'object' || Array.isArray(last) || Object.keys(last).length === 0)
    return `[${[...head, JSON.stringify(last)].join(', ')}]`;
  return `[${[...head, JSON.stringify(last, null, 2)].join(', ')}]`;
}

export function callTemplate(id: string, action: string, payload: JsonObject): string {
  return frameText([2, id, action, payload]);
}

export function sendTemplate(id: string, action: string, payload: JsonObject): string {
  return frameText([6, id, action, payload]);
}

export function resultTemplate(id: string, payload: JsonObject): string {
  return frameText([3, id, payload]);
}

/** NotImplemented exists in every version, so the template is valid everywhere; the editor offers the others. */
export function callErrorTemplate(id: string, type: 4 | 5 = 4): string {
  return frameText([type, id, 'NotImplemented', 'Describe what went wrong', {}]);
}

/** A suggested frame (the engine's one-line JSON) laid out like the templates; text that does not parse is kept. */
export function prettyFrame(text: string): string {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? frameText(value) : text;
  } catch {
    return text;
  }
}

const ID_RE = /^(\s*\[\s*[0-9]+\s*,\s*")((?:[^"\\]|\\.)*)(")/;

/** The message id as written in the frame text, without parsing the rest (which may be deliberately broken). */
export function messageIdOf(text: string): string | undefined {
  return ID_RE.exec(text)?.[2];
}

/** Replace the message id in place; every other byte of the text stays as the user wrote it. */
export function replaceMessageId(text: string, id: string): string {
  const m = ID_RE.exec(text);
  if (!m) return text;
  return text.slice(0, m[1]!.length) + id + text.slice(m[1]!.length + m[2]!.length);
}

export interface FrameGuess {
  type?: number;
  id?: string;
  action?: string;
}

/** What the editor text looks like, for the send button's label and history: tolerant of invalid JSON. */
export function guessFrame(text: string): FrameGuess {
  const head = /^\s*\[\s*([0-9]+)\s*,\s*"((?:[^"\\]|\\.)*)"\s*(?:,\s*"((?:[^"\\]|\\.)*)")?/.exec(text);
  if (!head) return {};
  const type = Number(head[1]);
  const guess: FrameGuess = { type, id: head[2] };
  if ((type === 2 || type === 6) && head[3] !== undefined) guess.action = head[3];
  return guess;
}

/** A fresh OCPP message id: a UUID is 36 characters, exactly the limit. */
export function freshMessageId(): string {
  return globalThis.crypto.randomUUID();
}

export interface TemplateEntry {
  label: string;
  action: string;
  type: 2 | 3 | 6;
  group: string;
}

/** Requests whose payload carries a file server URL (and, for firmware, its checksum and signature fields). */
export const TRANSFER_ACTIONS: readonly string[] = [
  'GetDiagnostics',
  'GetLog',
  'UpdateFirmware',
  'SignedUpdateFirmware',
];

/**
 * A request payload with the file server's URL (and for firmware its signing certificate and signature) put where
 * the version's schema wants them: `location` (1.6 GetDiagnostics, UpdateFirmware), `log.remoteLocation` (GetLog),
 * `firmware.location` (2.x UpdateFirmware, 1.6 SignedUpdateFirmware). Every other field stays as it was.
 */
export function withTransferUrl(
  action: string,
  payload: JsonObject,
  ticket: TransferTicketInfo,
  protocol: TransferProtocol,
): JsonObject {
  const url = (ticket.urls.find((u) => u.protocol === protocol) ?? ticket.urls[0])?.url;
  if (url === undefined) return payload;
  const obj = (v: unknown): JsonObject =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : {};
  if (action === 'GetLog') return { ...payload, log: { ...obj(payload.log), remoteLocation: url } };
  if (payload.firmware !== undefined || action === 'SignedUpdateFirmware') {
    const fw = ticket.firmware;
    return {
      ...payload,
      firmware: {
        ...obj(payload.firmware),
        location: url,
        ...(fw ? { signingCertificate: fw.signingCertificate, signature: fw.signature } : {}),
      },
    };
  }
  return { ...payload, location: url };
}
