import type { OcppVersion } from '../versions';

/**
 * What the tool knows of one charging station (one identity) from the wire, kept across its connections: a station
 * reconnects without rebooting, so its transactions, connector statuses and agreed settings outlive a connection.
 * Every collection is bounded, so a hostile peer cannot grow it.
 */

/**
 * A Map that forgets its oldest entries past `max`. Its Map is made on the first entry and let go when the last one
 * leaves: most stations of a fleet never fill most of these, and an empty Map costs several times its shell.
 */
export class BoundedMap<K, V> {
  private map: Map<K, V> | undefined;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.map === undefined ? 0 : this.map.size;
  }

  get(key: K): V | undefined {
    return this.map?.get(key);
  }

  has(key: K): boolean {
    return this.map !== undefined && this.map.has(key);
  }

  set(key: K, value: V): this {
    const map = (this.map ??= new Map<K, V>());
    if (!map.has(key) && map.size >= this.max) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
    map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    const map = this.map;
    if (map === undefined || !map.delete(key)) return false;
    if (map.size === 0) this.map = undefined;
    return true;
  }

  clear(): void {
    this.map = undefined;
  }

  keys(): IterableIterator<K> {
    return (this.map ?? new Map<K, V>()).keys();
  }

  values(): IterableIterator<V> {
    return (this.map ?? new Map<K, V>()).values();
  }

  entries(): IterableIterator<[K, V]> {
    return (this.map ?? new Map<K, V>()).entries();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}

export interface Transaction {
  id: string;
  /** seq of the frame that started it, when seen. */
  startSeq?: number;
  /** Latest energy register reading, Wh, and the frame it came in. */
  energyWh?: number;
  energySeq?: number;
  /** 2.x: latest seqNo and its frame. */
  seqNo?: number;
  seqNoSeq?: number;
  /** seq of the frame that ended it. */
  endedSeq?: number;
  remoteStartId?: number;
}

export class TransactionBook {
  readonly open = new BoundedMap<string, Transaction>(64);
  readonly ended = new BoundedMap<string, Transaction>(256);

  get(id: string): Transaction | undefined {
    return this.open.get(id) ?? this.ended.get(id);
  }

  start(id: string, seq: number | undefined): Transaction {
    const tx: Transaction = { id };
    if (seq !== undefined) tx.startSeq = seq;
    this.ended.delete(id);
    this.open.set(id, tx);
    return tx;
  }

  end(tx: Transaction, seq: number): void {
    tx.endedSeq = seq;
    this.open.delete(tx.id);
    this.ended.set(tx.id, tx);
  }
}

export interface ConnectorState {
  status: string;
  seq: number;
}

export interface ConfigValue {
  value?: string;
  readonly?: boolean;
  /** seq of the frame that reported `value`/`readonly`. */
  seenSeq?: number;
  /** A change the station accepted and that a read should now show. */
  setValue?: string;
  setSeq?: number;
}

export interface ResetExpectation {
  /** seq of the Reset request. */
  seq: number;
  conn: string;
  /** When the wait for a reboot ends; Infinity while an OnIdle/Scheduled reset waits for transactions to end. */
  deadline: number;
  /** The deadline is armed once no transaction is open. */
  deferred: boolean;
}

export class PeerModel {
  /** The version its latest connection speaks. */
  version?: OcppVersion;
  /** Connections of this identity whose observers are live. */
  live = 0;
  /** Wire time of the latest BootNotification the CSMS accepted, and its seq. */
  acceptedBootT?: number;
  acceptedBootSeq?: number;
  // The collections below are made on first use: ten thousand simulated chargers each carrying five empty ones
  // (and a transaction book) cost more than what an idle charger's rules otherwise keep.
  private connectorsMade: BoundedMap<number, ConnectorState> | undefined;
  private transactionsMade: TransactionBook | undefined;
  private rejectedMade: BoundedMap<string, number> | undefined;
  private configMade: BoundedMap<string, ConfigValue> | undefined;

  get connectors(): BoundedMap<number, ConnectorState> {
    return (this.connectorsMade ??= new BoundedMap<number, ConnectorState>(128));
  }

  get transactions(): TransactionBook {
    return (this.transactionsMade ??= new TransactionBook());
  }

  /** idTag (1.6) or `type:idToken` (2.x) -> seq of the answer that rejected it. */
  get rejected(): BoundedMap<string, number> {
    return (this.rejectedMade ??= new BoundedMap<string, number>(256));
  }

  get config(): BoundedMap<string, ConfigValue> {
    return (this.configMade ??= new BoundedMap<string, ConfigValue>(512));
  }

  /** Heartbeat interval agreed (BootNotification answer, then configuration), ms; 0 or absent: none. */
  heartbeatMs?: number;
  reset?: ResetExpectation;

  constructor(readonly identity: string) {}

  /** A (re)boot: statuses start afresh; what the CSMS knows of transactions and settings stays. */
  booted(): void {
    this.connectorsMade?.clear();
    this.reset = undefined;
  }

  /**
   * Whether an event the station time-stamped `at` happened while the tool watched it since a boot, so that a
   * transaction it names ought to be known. Unsure (no boot seen, no time) counts as no.
   */
  watchedSinceBoot(at: number | undefined, skewMs: number): boolean {
    return this.acceptedBootT !== undefined && at !== undefined && at >= this.acceptedBootT - skewMs;
  }
}
