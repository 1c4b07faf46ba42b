import type { StationSettings } from '../../../shared/api';
import { OCPP_VERSIONS } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { AutoAnswerBook } from '../station/auto-answer';
import type { AnswerRole } from '../station/auto-answer';
import type { Connection } from '../connections/connection';
import { ConnectionHub } from '../connections/connection-hub';
import type { EventStream } from '../connections/event-stream';
import { Station } from '../station/station';
import type { ReplayLink } from './replay-link';

/**
 * Replay over the engine's own connections, so a replay's frames are recorded, analysed and shown like any other.
 * The replay answers the peer's CALLs itself, so its connections use an answer book that holds every CALL.
 */

export function holdEverythingBook(): AutoAnswerBook {
  const book = new AutoAnswerBook({ answerMalformed: false });
  book.setPolicies(
    (['endpoint', 'station'] as const).flatMap((role) =>
      OCPP_VERSIONS.map((version) => ({ version, action: '*', mode: 'hold' as const, role })),
    ),
  );
  return book;
}

/** A hub on the engine's stream whose connection ids cannot collide with the engine's own (c1, c2...). */
export class ReplayHub extends ConnectionHub {
  private n = 0;
  override nextId(): string {
    return `replay-${++this.n}`;
  }
}

export function connectionLink(connection: Connection, stream: EventStream, owned: boolean): ReplayLink {
  return {
    id: connection.id,
    get version(): OcppVersion | undefined {
      return connection.version;
    },
    get open(): boolean {
      return connection.isOpen;
    },
    send: (text) => void connection.send(text),
    onMessage: (listener) =>
      stream.subscribe((e) => {
        if (e.kind === 'frame' && e.conn === connection.id && e.sender === connection.theirs && !e.binary) {
          // The frame's event is emitted before the connection files a CALL as held (the book holds every CALL
          // during a replay): answering in a microtask lets the answer clear that entry instead of racing it, so
          // no call stays "held" in the UI after the replay answered it.
          const text = e.text;
          queueMicrotask(() => listener(text));
        }
      }),
    onClose: (listener) => {
      const on = (): void => listener();
      connection.on('closed', on);
      return () => connection.off('closed', on);
    },
    close: async () => {
      if (owned) await connection.close(1000, 'replay done');
    },
  };
}

export class LinkError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LinkError';
  }
}

/** Connects to a CSMS as the charger for a station-side replay. */
export async function openStationLink(
  stream: EventStream,
  settings: StationSettings,
  hub: ConnectionHub = new ReplayHub(stream, holdEverythingBook()),
): Promise<{ link: ReplayLink; connection: Connection }> {
  const station = new Station(hub);
  const connection = await station.connect({ ...settings, reconnect: { enabled: false, maxDelaySec: 1 } });
  if (!connection.isOpen) {
    const f = connection.failure;
    throw new LinkError(f?.code ?? 'connect-failed', f?.message ?? `Could not connect to ${settings.url}.`);
  }
  return { link: connectionLink(connection, stream, true), connection };
}

/** Resolves with the next charger that opens a connection on the hub (for a CSMS-side replay). */
export function nextCharger(
  stream: EventStream,
  hub: ConnectionHub,
  signal?: AbortSignal,
): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const off = stream.subscribe((e) => {
      if (e.kind !== 'opened' || !e.ok) return;
      const c = hub.get(e.conn);
      if (!c) return;
      off();
      resolve(c);
    });
    signal?.addEventListener(
      'abort',
      () => {
        off();
        reject(new LinkError('aborted', 'Stopped while waiting for a charger to connect.'));
      },
      { once: true },
    );
  });
}

/**
 * Waits for the next charger that connects on the hub (a CSMS-side replay: `replay --listen` and the Replay tab), at
 * most `timeoutMs`; rejects with a sentence a person can act on.
 */
export async function waitForCharger(
  stream: EventStream,
  hub: ConnectionHub,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Connection> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    return await nextCharger(stream, hub, signal ? AbortSignal.any([signal, timeout]) : timeout);
  } catch (e) {
    if (timeout.aborted && !signal?.aborted)
      throw new LinkError(
        'charger-timeout',
        `No charger connected within ${Math.round(timeoutMs / 100) / 10} s; point a charger at the endpoint and start again.`,
      );
    throw e;
  }
}

/** The auto-answer policy as a replay fallback. */
export function fallbackFrom(
  book: AutoAnswerBook,
  version: OcppVersion | undefined,
  role: AnswerRole = 'endpoint',
) {
  return (messageId: string, action: string): string | undefined => {
    if (!version) return undefined;
    const d = book.decide(version, messageId, action, role);
    return d.kind === 'send' ? d.text : d.suggested;
  };
}
