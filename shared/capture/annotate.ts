import { defaultObservers } from '../ocpp/default-observers';
import {
  advanceScopes,
  RULE_TICK_MS,
  type ConnectionTimedFinding,
  type FrameObserverFactory,
  type TimedFinding,
} from '../ocpp/frame-observer';
import { problemForEvent } from '../ocpp/frame';
import { FramePipeline } from '../ocpp/pipeline';
import type { OcppVersion } from '../ocpp/versions';
import type { ConnectionInfo, FrameEvent, NoteEvent, ScopeEvent } from './events';

/**
 * Runs frames that came from outside the engine (HAR, pcap, a capture whose frames lack their analysis) through the
 * same analysis pipeline as live traffic, per connection in stream order: parse, pairing and round-trip times,
 * schema, behaviour rules. What the rules conclude from time passing or a connection ending becomes an engine note
 * at its place in time. Events after an inserted note are renumbered (seq); pairs and findings use the new numbers.
 * Uses the schema registry (ajv): Node side only.
 */

export interface AnnotateOptions {
  /** Behaviour rules (default: defaultObservers(), one scope for the whole file). */
  observers?: readonly FrameObserverFactory[];
  /** Analyse only frames without `msg`, `problem` and findings (a capture written by the engine keeps its own). */
  onlyBare?: boolean;
}

/** A frame without any of its analysis (msg, problem, findings, pair): written by a tool that does not analyse. */
export function isBare(e: FrameEvent): boolean {
  return e.msg === undefined && e.problem === undefined && e.findings.length === 0 && e.pair === undefined;
}

export function annotateFrames(
  events: ScopeEvent[],
  versionOf: (conn: string) => OcppVersion | undefined,
  options: AnnotateOptions = {},
): ScopeEvent[] {
  if (options.onlyBare && !events.some((e) => e.kind === 'frame' && !e.binary && isBare(e))) return events;
  const out: ScopeEvent[] = [];
  const annotator = new FrameAnnotator(versionOf, options, (e) => out.push(e));
  for (const e of events) annotator.push(e);
  annotator.end();
  return out;
}

/**
 * annotateFrames one event at a time, for an import too big to hold: each event is handed to `emit` (with the notes
 * the rules insert before or after it) as soon as it is analysed, in the order annotateFrames returns them.
 * Events come in time order with their seq and mono stamped; the annotator renumbers them past inserted notes.
 */
export class FrameAnnotator {
  private readonly pipelines = new Map<string, FramePipeline>();
  private readonly observers: readonly FrameObserverFactory[];
  private readonly identities = new Map<string, string>();
  // Inserted notes shift the seqs after them (by `offset`); without notes every seq stays as it was.
  private offset = 0;
  private lastSeq = -1;
  private last: ScopeEvent | undefined;
  // Frames a file brings with their analysis keep it; their links move with the notes inserted before them.
  private readonly moved = new Map<number, number>();
  private readonly kept: FrameEvent[] = [];
  private nextTick = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly versionOf: (conn: string) => OcppVersion | undefined,
    private readonly options: AnnotateOptions,
    private readonly emit: (e: ScopeEvent) => void,
  ) {
    // One scope for the file: a station's connections share what the rules know of it (by identity).
    this.observers = options.observers ?? defaultObservers();
  }

  private out(e: ScopeEvent): void {
    this.last = e;
    this.emit(e);
  }

  private pipelineOf(conn: string): FramePipeline {
    let p = this.pipelines.get(conn);
    if (!p) {
      const connection = { conn, identity: this.identities.get(conn) ?? conn };
      p = new FramePipeline(this.versionOf(conn), { observers: this.observers, connection });
      this.pipelines.set(conn, p);
    }
    return p;
  }

  private note(conn: string, timed: readonly TimedFinding[], mono0: number, t0: number): void {
    for (const tf of timed) {
      this.offset++;
      const n: NoteEvent = {
        kind: 'note',
        seq: ++this.lastSeq,
        t: tf.t,
        mono: mono0 + (tf.t - t0),
        conn,
        source: 'engine',
        text: tf.finding.message,
        findings: [tf.finding],
      };
      this.out(n);
    }
  }

  // What the scope concludes about closed connections (a Reset, then no reconnect), each on the connection it names.
  private noteScope(timed: ConnectionTimedFinding[], mono0: number, t0: number): void {
    for (const tf of timed) this.note(tf.conn, [tf], mono0, t0);
  }

  push(e: ScopeEvent): void {
    const { observers, options } = this;
    if (e.kind === 'opened') this.identities.set(e.conn, e.connection.identity);
    const p = this.pipelines.get(e.conn) ?? (e.kind === 'frame' ? this.pipelineOf(e.conn) : undefined);
    // As the engine's rule clock does live: time passes for every open connection, not just the one speaking, and
    // for the scope (a Reset, the connection closed, no reconnect); a note lands where the rule concluded.
    if (observers.length > 0 && e.t >= this.nextTick) {
      this.nextTick = e.t + RULE_TICK_MS;
      for (const [conn, q] of this.pipelines)
        if (conn !== e.conn) this.note(conn, q.advance(e.t), e.mono, e.t);
      this.noteScope(advanceScopes(observers, e.t), e.mono, e.t);
    }
    if (p?.observing) this.note(e.conn, p.advance(e.t), e.mono, e.t);
    if (this.offset > 0) {
      // Only kept frames' links need the old numbers (a streamed import keeps none: no map per event).
      if (options.onlyBare) this.moved.set(e.seq, e.seq + this.offset);
      e.seq += this.offset;
    }
    this.lastSeq = e.seq;
    if (e.kind === 'frame' && !e.binary) {
      if (options.onlyBare && !isBare(e)) this.kept.push(e);
      else {
        // As live: a response names its request and round-trip time; the request is linked back by readers.
        const a = this.pipelineOf(e.conn).analyze(e.text, e.sender, e.seq, e.mono, e.t);
        // What the import found in the frame itself (an unmasked client frame, invalid UTF-8) stays, first.
        e.findings = e.findings.length === 0 ? a.findings : [...e.findings, ...a.findings];
        if (a.msg) e.msg = a.msg;
        if (a.problem) e.problem = problemForEvent(a.problem);
        if (a.pair) e.pair = a.pair;
      }
    }
    this.out(e);
    if (e.kind === 'closed' && p) {
      this.note(e.conn, p.closed(e.t), e.mono, e.t);
      this.pipelines.delete(e.conn);
    }
  }

  /** The end of the input: what the rules conclude from it. */
  end(): void {
    // Connections the file leaves open end with it.
    const last = this.last;
    for (const [conn, p] of this.pipelines)
      if (last && p.observing) this.note(conn, p.closed(last.t), last.mono, last.t);
    this.pipelines.clear();
    // The end of input is the last moment anything can be judged, as when a live connection closes: what expired by
    // the last event is reported, a window still open then is not (the station might have come back had it gone on).
    if (last && this.observers.length > 0)
      this.noteScope(advanceScopes(this.observers, last.t), last.mono, last.t);
    if (this.moved.size > 0) {
      const to = (seq: number): number => this.moved.get(seq) ?? seq;
      for (const e of this.kept) {
        if (e.pair) e.pair.partnerSeq = to(e.pair.partnerSeq);
        for (const f of e.findings) if (f.related) f.related = f.related.map(to);
      }
    }
  }
}

/** The negotiated version of every connection a file knows: from its header's connections and its opened events. */
export function versionsOf(
  events: readonly ScopeEvent[],
  known: readonly ConnectionInfo[] = [],
): Map<string, OcppVersion> {
  const out = new Map<string, OcppVersion>();
  for (const c of known) if (c.version) out.set(c.id, c.version);
  for (const e of events)
    if (e.kind === 'opened' && e.connection.version) out.set(e.conn, e.connection.version);
  return out;
}
