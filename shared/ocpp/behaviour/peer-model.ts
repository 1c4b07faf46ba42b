import type { OcppVersion } from '../versions';

/**
 * What the tool knows of one charging station (one identity) from the wire, kept across its connections: a station
 * reconnects without rebooting, so its transactions, connector statuses and agreed settings outlive a connection.
 * Every collection is bounded, so a hostile peer cannot grow it.
 */

/** Up to this many entries a BoundedMap keeps them in one flat array (key, value, key, value), oldest first. */
const SMALL = 8;

/**
 * A Map that forgets its oldest entries past `max`. Nothing is made until the first entry, and a few entries (a
 * station's connectors) are kept in one array of exactly their size: most stations of a fleet never fill most of
 * these, and a Map costs several times its first entries. Past SMALL entries, a Map.
 */
export class BoundedMap<K, V> {
  private small: (K | V)[] | undefined;
  private map: Map<K, V> | undefined;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.map !== undefined ? this.map.size : this.small !== undefined ? this.small.length / 2 : 0;
  }

  private at(key: K): number {
    const small = this.small;
    // As a Map compares keys (SameValueZero: NaN is NaN, -0 is 0).
    if (small !== undefined)
      for (let i = 0; i < small.length; i += 2) {
        const k = small[i];
        if (k === key || (k !== k && key !== key)) return i;
      }
    return -1;
  }

  get(key: K): V | undefined {
    if (this.map !== undefined) return this.map.get(key);
    const i = this.at(key);
    return i < 0 ? undefined : (this.small![i + 1] as V);
  }

  has(key: K): boolean {
    return this.map !== undefined ? this.map.has(key) : this.at(key) >= 0;
  }

  set(key: K, value: V): this {
    if (this.map === undefined) {
      const i = this.at(key);
      if (i >= 0) {
        this.small![i + 1] = value;
        return this;
      }
      const small = this.small ?? [];
      // A Map keeps -0 as 0.
      if ((key as unknown) === 0) key = 0 as K;
      if (small.length / 2 < SMALL && small.length / 2 < this.max) {
        this.small = small.concat([key, value]);
        return this;
      }
      if (small.length / 2 >= this.max) {
        // Full at its bound: the oldest entry goes.
        this.small = small.slice(2).concat([key, value]);
        return this;
      }
      this.map = new Map<K, V>();
      for (let j = 0; j < small.length; j += 2) this.map.set(small[j] as K, small[j + 1] as V);
      this.small = undefined;
    }
    const map = this.map;
    if (!map.has(key) && map.size >= this.max) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
    map.set(key, value);
    return this;
  }

  delete(key: K): boolean {
    const map = this.map;
    if (map !== undefined) {
      if (!map.delete(key)) return false;
      if (map.size === 0) this.map = undefined;
      return true;
    }
    const i = this.at(key);
    if (i < 0) return false;
    const small = this.small!;
    this.small = small.length === 2 ? undefined : small.slice(0, i).concat(small.slice(i + 2));
    return true;
  }

  clear(): void {
    this.map = undefined;
    this.small = undefined;
  }

  entries(): IterableIterator<[K, V]> {
    if (this.map !== undefined) return this.map.entries();
    const out: [K, V][] = [];
    const small = this.small ?? [];
    for (let i = 0; i < small.length; i += 2) out.push([small[i] as K, small[i + 1] as V]);
    return out[Symbol.iterator]();
  }

  keys(): IterableIterator<K> {
    if (this.map !== undefined) return this.map.keys();
    return [...this.entries()].map(([k]) => k)[Symbol.iterator]();
  }

  values(): IterableIterator<V> {
    if (this.map !== undefined) return this.map.values();
    return [...this.entries()].map(([, v]) => v)[Symbol.iterator]();
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

/**
 * The latest status of each connector (by its key within the station) and the frame that reported it, oldest
 * first, at most `max` (the oldest goes). Kept as one flat array (key, status, seq, ...): a station has two or three,
 * and ten thousand simulated chargers each keeping a bounded map with an object per connector cost about 260 bytes
 * a charger where this costs about 60.
 */
export class ConnectorStates {
  private flat: (number | string)[] = [];

  constructor(private readonly max: number) {}

  get size(): number {
    return this.flat.length / 3;
  }

  private at(key: number): number {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 3) if (flat[i] === key) return i;
    return -1;
  }

  /** Its latest status and the frame that reported it (a copy: change it with set). */
  get(key: number): ConnectorState | undefined {
    const i = this.at(key);
    return i < 0 ? undefined : { status: this.flat[i + 1] as string, seq: this.flat[i + 2] as number };
  }

  /** Its latest status, without an object (a rule reads it at every StatusNotification). */
  status(key: number): string | undefined {
    const i = this.at(key);
    return i < 0 ? undefined : (this.flat[i + 1] as string);
  }

  /** The seq of the frame that reported its latest status; -1 when none did. */
  seq(key: number): number {
    const i = this.at(key);
    return i < 0 ? -1 : (this.flat[i + 2] as number);
  }

  set(key: number, status: string, seq: number): void {
    const i = this.at(key);
    if (i >= 0) {
      this.flat[i + 1] = status;
      this.flat[i + 2] = seq;
      return;
    }
    // A copy of exactly its size each time a connector is first seen (a few times per boot), not a grown array.
    const kept = this.flat.length / 3 >= this.max ? this.flat.slice(3) : this.flat;
    this.flat = kept.concat([key, status, seq]);
  }

  clear(): void {
    if (this.flat.length > 0) this.flat = [];
  }
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
  private connectorsMade: ConnectorStates | undefined;
  private transactionsMade: TransactionBook | undefined;
  private rejectedMade: BoundedMap<string, number> | undefined;
  private configMade: BoundedMap<string, ConfigValue> | undefined;

  get connectors(): ConnectorStates {
    return (this.connectorsMade ??= new ConnectorStates(128));
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
