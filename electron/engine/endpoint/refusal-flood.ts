import { AddressEpisodes } from './address-episodes';
import type { AddressEpisode, AddressEpisodeOptions } from './address-episodes';

/**
 * Refused attempts (wrong passwords, malformed requests, TLS failures, upgrades over the connection limit) from one
 * address: the first `recordedInFull` of an episode are recorded one by one, with their handshake, as evidence a
 * person reads; the rest of a flood is counted and recorded once, when the address goes quiet, with its counts by
 * reason. A password guesser or a crashed charger redialling in a loop fills neither the log nor the recording,
 * and good chargers beside it stay visible.
 */

export interface RefusalFloodOptions extends AddressEpisodeOptions {
  /** Refusals per address and episode recorded in full before the rest is only counted. Default 10. */
  recordedInFull?: number;
}

export interface RefusalEpisode extends AddressEpisode {
  /** How many of `total` were recorded one by one. */
  recorded: number;
}

export class RefusalFlood {
  private readonly episodes: AddressEpisodes;
  readonly recordedInFull: number;

  constructor(report: (episode: RefusalEpisode) => void, options: RefusalFloodOptions = {}) {
    this.recordedInFull = Math.max(0, options.recordedInFull ?? 10);
    this.episodes = new AddressEpisodes((e) => {
      // An episode whose every refusal was recorded needs no summary.
      if (e.total > this.recordedInFull) report({ ...e, recorded: this.recordedInFull });
    }, options);
  }

  /** Counts a refusal; true when it is to be recorded in full (it is among the first of its episode). */
  admit(address: string, reason: string): boolean {
    return this.episodes.count(address, reason) <= this.recordedInFull;
  }

  close(): void {
    this.episodes.flushAll();
  }
}

/** One sentence for a person: how many attempts from where, why they were refused, and what was recorded. */
export function describeRefusals(e: RefusalEpisode): string {
  const reasons = Object.entries(e.counts)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${n} ${code}`)
    .join(', ');
  const seconds = Math.max(1, Math.round((e.last - e.first) / 1000));
  return (
    `${e.total} attempts from ${e.address} were refused within ${seconds} s (${reasons}); the first ` +
    `${e.recorded} are recorded one by one, the other ${e.total - e.recorded} only counted here.`
  );
}
