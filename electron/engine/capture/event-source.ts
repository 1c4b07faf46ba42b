import type { EventPage, EventQuery, SourceInfo } from '../../../shared/api';
import type { ConnectionInfo, ScopeEvent } from '../../../shared/capture/events';

/** Statistics a source keeps while indexing: what the UI's summary panel and `ocpp-scope inspect --stats` print. */
export interface RttStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p95: number;
}

export interface ConnectionStats {
  id: string;
  identity: string;
  version?: string;
  events: number;
  frames: number;
  findings: number;
  firstT?: number;
  lastT?: number;
}

export interface SourceStats {
  events: number;
  frames: number;
  /** Events with at least one finding (frame, handshake or note). */
  withFindings: number;
  connections: ConnectionStats[];
  /** Frames per action (CALLs and SENDs and the responses that answer them). */
  actions: Record<string, number>;
  /** Finding codes and how often they occur. */
  findingCodes: Record<string, number>;
  rtt: RttStats & { byAction: Record<string, RttStats> };
  firstT?: number;
  lastT?: number;
}

/** Any set of events the UI can page through: the live session, a capture file, an imported HAR or pcap. */
export interface EventSource {
  readonly id: string;
  readonly kind: 'live' | 'capture';
  readonly name: string;
  info(): SourceInfo;
  stats(): SourceStats;
  connections(): ConnectionInfo[];
  query(query: EventQuery, offset: number, limit: number): Promise<EventPage>;
  /** Every event in order, streamed (export, replay, conversion). */
  events(): AsyncIterable<ScopeEvent>;
  /** Resolves once the whole source is indexed. */
  whenIndexed(): Promise<void>;
  close(): Promise<void>;
}

/** A fixed-bucket RTT histogram: percentiles in bounded memory (log buckets, about 4% wide, 0.01 ms to ~10 min). */
export class RttHistogram {
  private readonly buckets = new Uint32Array(512);
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;

  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.count++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
    const b = Math.max(0, Math.min(511, Math.floor(Math.log(ms * 100 + 1) * 25)));
    this.buckets[b]!++;
  }

  private quantile(q: number): number {
    if (this.count === 0) return 0;
    const target = q * this.count;
    let acc = 0;
    for (let b = 0; b < 512; b++) {
      acc += this.buckets[b]!;
      if (acc >= target) {
        const upper = (Math.exp((b + 1) / 25) - 1) / 100;
        return Math.min(this.max, Math.max(this.min, upper));
      }
    }
    return this.max;
  }

  stats(): RttStats {
    if (this.count === 0) return { count: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0 };
    return {
      count: this.count,
      min: this.min,
      max: this.max,
      mean: this.sum / this.count,
      p50: this.quantile(0.5),
      p95: this.quantile(0.95),
    };
  }
}
