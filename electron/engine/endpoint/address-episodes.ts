/**
 * Counts of things that happened per peer address, grouped into episodes: an episode ends after `quietMs` without
 * a new count from its address (or at `maxEpisodeMs`), and is then reported once, with its counts. What floods the
 * endpoint (idle sockets, refused attempts) becomes a few records with numbers, never one record per event.
 */

export interface AddressEpisode {
  address: string;
  /** How many of each kind (the caller's names). */
  counts: Record<string, number>;
  total: number;
  first: number;
  last: number;
}

export interface AddressEpisodeOptions {
  quietMs?: number;
  maxEpisodeMs?: number;
  /** Addresses with an open episode at once; past it the oldest is reported early (many addresses at once). */
  maxAddresses?: number;
}

interface Open extends AddressEpisode {
  flush: NodeJS.Timeout | undefined;
}

export class AddressEpisodes {
  private readonly open = new Map<string, Open>();
  private readonly quietMs: number;
  private readonly maxEpisodeMs: number;
  private readonly maxAddresses: number;

  constructor(
    private readonly report: (episode: AddressEpisode) => void,
    options: AddressEpisodeOptions = {},
  ) {
    this.quietMs = options.quietMs ?? 2000;
    this.maxEpisodeMs = options.maxEpisodeMs ?? 30_000;
    this.maxAddresses = Math.max(1, options.maxAddresses ?? 4096);
  }

  /** Counts one `what` from `address`; returns how many the episode holds with it. */
  count(address: string, what: string): number {
    const now = Date.now();
    let e = this.open.get(address);
    if (e) clearTimeout(e.flush);
    else {
      if (this.open.size >= this.maxAddresses) this.flush(this.open.keys().next().value as string);
      e = { address, counts: {}, total: 0, first: now, last: now, flush: undefined };
      this.open.set(address, e);
    }
    e.counts[what] = (e.counts[what] ?? 0) + 1;
    const total = ++e.total;
    e.last = now;
    if (now - e.first >= this.maxEpisodeMs) this.flush(address);
    else {
      e.flush = setTimeout(() => this.flush(address), this.quietMs);
      e.flush.unref();
    }
    return total;
  }

  /** Reports every open episode now (the endpoint is stopping). */
  flushAll(): void {
    for (const address of [...this.open.keys()]) this.flush(address);
  }

  private flush(address: string): void {
    const e = this.open.get(address);
    if (!e) return;
    clearTimeout(e.flush);
    this.open.delete(address);
    this.report({ address: e.address, counts: e.counts, total: e.total, first: e.first, last: e.last });
  }
}
