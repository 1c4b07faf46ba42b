import type { Finding, Sender } from '../../shared/capture/events';
import { BehaviourRules, type BehaviourOptions } from '../../shared/ocpp/behaviour';
import type { FrameObserver, TimedFinding } from '../../shared/ocpp/frame-observer';
import type { Frame } from '../../shared/ocpp/frame-types';
import type { JsonObject } from '../../shared/ocpp/json';
import type { OcppVersion } from '../../shared/ocpp/versions';

export interface Step {
  seq: number;
  id: string;
  findings: Finding[];
}

/**
 * Drives behaviour observers the way the pipeline does: advance(t) then observe(frame), seqs unique across the
 * whole session (as in one event stream), time in seconds from 0 for readability.
 */
export class BehaviourSession {
  readonly rules: BehaviourRules;
  private seq = 0;
  private nextId = 0;
  private observer: FrameObserver;
  private conn = 0;
  /** Timed findings from every advance and close, in order. */
  readonly timed: TimedFinding[] = [];
  /** Frame findings, in order. */
  readonly findings: Finding[] = [];

  constructor(
    readonly version: OcppVersion,
    options: Partial<BehaviourOptions> = {},
    readonly identity = 'CP1',
  ) {
    this.rules = new BehaviourRules(options);
    this.observer = this.rules.observerFor(version, { conn: `c${this.conn}`, identity });
  }

  private feed(sender: Sender, tSec: number, frame: Frame): Step {
    const t = tSec * 1000;
    this.timed.push(...this.observer.advance(t));
    const seq = this.seq++;
    const findings = this.observer.observe({ seq, t, sender, frame, findings: [] });
    this.findings.push(...findings);
    return { seq, id: frame.id, findings: [...findings] };
  }

  call(sender: Sender, tSec: number, action: string, payload: JsonObject): Step {
    return this.feed(sender, tSec, { type: 2, id: `m${this.nextId++}`, action, payload });
  }

  station(tSec: number, action: string, payload: JsonObject = {}): Step {
    return this.call('station', tSec, action, payload);
  }

  csms(tSec: number, action: string, payload: JsonObject = {}): Step {
    return this.call('csms', tSec, action, payload);
  }

  /** The other side's CALLRESULT to `to`. */
  result(to: Step, sender: Sender, tSec: number, payload: JsonObject): Step {
    return this.feed(sender, tSec, { type: 3, id: to.id, payload });
  }

  /** A station request answered by the CSMS at the same second. */
  ask(tSec: number, action: string, payload: JsonObject, answer: JsonObject): Step {
    const s = this.station(tSec, action, payload);
    this.result(s, 'csms', tSec, answer);
    return s;
  }

  /** A CSMS request answered by the station at the same second. */
  command(tSec: number, action: string, payload: JsonObject, answer: JsonObject): Step {
    const s = this.csms(tSec, action, payload);
    this.result(s, 'station', tSec, answer);
    return s;
  }

  boot(tSec = 0, interval = 300): Step {
    return this.ask(
      tSec,
      'BootNotification',
      this.version === '1.6'
        ? { chargePointVendor: 'V', chargePointModel: 'M' }
        : { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M' } },
      { status: 'Accepted', currentTime: new Date(tSec * 1000).toISOString(), interval },
    );
  }

  advance(tSec: number): TimedFinding[] {
    const out = this.observer.advance(tSec * 1000);
    this.timed.push(...out);
    return out;
  }

  /** Closes this connection and opens the next one of the same identity. */
  reconnect(tSec: number): void {
    this.timed.push(...this.observer.closed(tSec * 1000));
    this.conn++;
    this.observer = this.rules.observerFor(this.version, { conn: `c${this.conn}`, identity: this.identity });
  }

  close(tSec: number): TimedFinding[] {
    const out = this.observer.closed(tSec * 1000);
    this.timed.push(...out);
    return out;
  }

  codes(): string[] {
    return [...this.findings.map((f) => f.code), ...this.timed.map((x) => x.finding.code)];
  }
}

export const iso = (tSec: number): string => new Date(tSec * 1000).toISOString();
