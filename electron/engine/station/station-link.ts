import type { StationSettings } from '../../../shared/api';
import type { Connection } from '../connections/connection';
import type { ConnectionHub } from '../connections/connection-hub';
import type { StationControl } from '../simulation/simulated-station';
import { internalError } from '../connections/internal-error';

/** What a link asks of its station: one more connection attempt. */
export interface LinkAttempts {
  /** Resolves true when the WebSocket is open. */
  attempt(connection: Connection, settings: StationSettings): Promise<boolean>;
}

/**
 * One station connection's life across attempts: reconnect with backoff (1 s doubling up to maxDelaySec), going
 * offline and online on purpose, coming back after a reboot (possibly at another URL). A simulated charger's
 * StationControl. One object with methods, and listeners shared by all links: a fleet has ten thousand of these, and
 * a closure per behaviour each cost more than the state they share.
 */
export class StationLink implements StationControl {
  private delay = 1;
  /**
   * What an attempt needs besides its URL, shared by the links that have it alike (a fleet's stations): a copy per
   * link cost ten thousand simulated chargers an object each.
   */
  /** The URL of the next attempt when it is not the connection's own (a network profile the CSMS set). */
  private movedTo: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Offline on purpose: no reconnect until told to come back. */
  private paused = false;
  /** The next wait, when it is not the backoff's (a reboot takes its own time; coming online is at once). */
  private nextWait: number | undefined;
  private everOpen = false;
  private readonly explicit: boolean;
  private readonly afterDrop: boolean;

  constructor(
    private readonly connection: Connection,
    settings: StationSettings,
    /** `settings` without the URL and the simulator's, from the station's SharedAttempts. */
    private readonly attempts: AttemptSettings,
    private readonly hub: ConnectionHub,
    private readonly station: LinkAttempts,
  ) {
    // A simulated charger comes back after a drop, as real ones do, unless told not to (but a first attempt that
    // fails is reported, not retried, unless reconnect was asked for).
    this.explicit = settings.reconnect?.enabled === true;
    this.afterDrop = settings.simulator !== undefined && settings.reconnect === undefined;
    connection.keepListed = this.explicit || this.afterDrop;
    connection.on('closed', linkClosed);
    connection.onUserClose = this;
  }

  /** The user closed the connection: no reconnect. */
  userClosed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** @internal The socket closed: it had been open (a failed attempt never emits 'closed'). */
  closed(): void {
    this.everOpen = true;
    this.schedule();
  }

  /** Waits, then tries again, when this link reconnects at all. */
  schedule(): void {
    const connection = this.connection;
    if (!(this.explicit || (this.afterDrop && this.everOpen)) || connection.userClosed || this.paused) return;
    const maxDelay = Math.max(1, this.attempts.reconnect?.maxDelaySec ?? 60);
    const wait = this.nextWait ?? Math.min(this.delay, maxDelay);
    if (this.nextWait === undefined) this.delay = Math.min(this.delay * 2, maxDelay);
    this.nextWait = undefined;
    this.hub.stream.emit({
      kind: 'note',
      conn: connection.id,
      source: 'engine',
      text: `Reconnecting in ${wait} s.`,
    });
    this.timer = setTimeout(retry, wait * 1000, this);
  }

  /** @internal The reconnect timer fired. */
  retry(): void {
    this.timer = undefined;
    const connection = this.connection;
    connection.setState('connecting');
    void this.station
      .attempt(connection, { ...this.attempts, url: this.movedTo ?? connection.url })
      .then((ok) => {
        if (ok) this.delay = 1;
        else this.schedule();
      })
      // A bug here must not end the process (an unhandled rejection would): record it and keep retrying.
      .catch((error: unknown) => {
        internalError(this.hub.stream, connection.id, error);
        this.schedule();
      });
  }

  // ---- StationControl ----------------------------------------------------------------------------------------------

  async offline(): Promise<void> {
    this.paused = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.connection.drop(1000, 'Going offline');
  }

  online(): void {
    if (!this.paused) return;
    this.paused = false;
    this.delay = 1;
    this.nextWait = 0;
    const state = this.connection.state;
    if (state === 'closed' || state === 'failed') this.schedule();
  }

  restart(delaySec: number, url?: string): void {
    this.nextWait = delaySec;
    this.delay = 1;
    // A network profile the CSMS set (2.x SetNetworkProfile) takes effect with the reboot.
    if (url !== undefined && url !== (this.movedTo ?? this.connection.url)) {
      this.movedTo = url;
      this.hub.stream.emit({
        kind: 'note',
        conn: this.connection.id,
        source: 'engine',
        text: `Network profile: reconnecting to ${url} after the reboot.`,
      });
    }
    void this.connection.drop(1000, 'Rebooting');
  }

  isOfflineOnPurpose(): boolean {
    return this.paused;
  }
}

// Shared by every link (EventEmitter calls it with the connection as `this`). No 'state' listener: a connection's
// listeners of one event beyond the first are kept in an array that grows with room to spare.
// The connection names its link as the one its close() tells (no WeakMap entry per connection).
function linkClosed(this: Connection): void {
  const link = this.onUserClose;
  if (link instanceof StationLink) link.closed();
}

/** A station's settings as its attempts read them: without its URL (the connection's) and its simulator's. */
type AttemptSettings = Omit<StationSettings, 'url' | 'simulator'>;

/** A station's attempt settings, shared by its links that have them alike (a fleet's stations). */
export class SharedAttempts {
  private last: AttemptSettings | undefined;

  /** The attempt settings of `settings`: the last ones made when they are alike (the same values), else new ones. */
  of(settings: StationSettings): AttemptSettings {
    const last = this.last;
    if (last !== undefined && alike(last, settings)) return last;
    const { url: _url, simulator: _simulator, ...attempts } = settings;
    return (this.last = Object.freeze(attempts));
  }
}

/** Every field but the URL and the simulator's the same (objects by identity: a fleet passes the same ones). */
function alike(a: AttemptSettings, s: StationSettings): boolean {
  const fields = a as Record<string, unknown>;
  let n = 0;
  for (const [k, v] of Object.entries(s)) {
    if (k === 'url' || k === 'simulator') continue;
    n++;
    if (fields[k] !== v) return false;
  }
  return n === Object.keys(a).length;
}

function retry(link: StationLink): void {
  link.retry();
}
