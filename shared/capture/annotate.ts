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
  const pipelines = new Map<string, FramePipeline>();
  const out: ScopeEvent[] = [];
  // One scope for the file: a station's connections share what the rules know of it (by identity).
  const observers = options.observers ?? defaultObservers();
  const identities = new Map<string, string>();
  const pipelineOf = (conn: string): FramePipeline => {
    let p = pipelines.get(conn);
    if (!p) {
      const connection = { conn, identity: identities.get(conn) ?? conn };
      p = new FramePipeline(versionOf(conn), { observers, connection });
      pipelines.set(conn, p);
    }
    return p;
  };
  // Inserted notes shift the seqs after them (by `offset`); without notes every seq stays as it was.
  let offset = 0;
  let lastSeq = -1;
  const note = (conn: string, timed: readonly TimedFinding[], mono0: number, t0: number): void => {
    for (const tf of timed) {
      offset++;
      const n: NoteEvent = {
        kind: 'note',
        seq: ++lastSeq,
        t: tf.t,
        mono: mono0 + (tf.t - t0),
        conn,
        source: 'engine',
        text: tf.finding.message,
        findings: [tf.finding],
      };
      out.push(n);
    }
  };
  // What the scope concludes about closed connections (a Reset, then no reconnect), each on the connection it names.
  const noteScope = (timed: ConnectionTimedFinding[], mono0: number, t0: number): void => {
    for (const tf of timed) note(tf.conn, [tf], mono0, t0);
  };
  // Frames a file brings with their analysis keep it; their links move with the notes inserted before them.
  const moved = new Map<number, number>();
  const kept: FrameEvent[] = [];
  let nextTick = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    if (e.kind === 'opened') identities.set(e.conn, e.connection.identity);
    const p = pipelines.get(e.conn) ?? (e.kind === 'frame' ? pipelineOf(e.conn) : undefined);
    // As the engine's rule clock does live: time passes for every open connection, not just the one speaking, and
    // for the scope (a Reset, the connection closed, no reconnect); a note lands where the rule concluded.
    if (observers.length > 0 && e.t >= nextTick) {
      nextTick = e.t + RULE_TICK_MS;
      for (const [conn, q] of pipelines) if (conn !== e.conn) note(conn, q.advance(e.t), e.mono, e.t);
      noteScope(advanceScopes(observers, e.t), e.mono, e.t);
    }
    if (p?.observing) note(e.conn, p.advance(e.t), e.mono, e.t);
    if (offset > 0) {
      moved.set(e.seq, e.seq + offset);
      e.seq += offset;
    }
    lastSeq = e.seq;
    out.push(e);
    if (e.kind === 'frame') {
      if (e.binary) continue;
      if (options.onlyBare && !isBare(e)) {
        kept.push(e);
        continue;
      }
      // As live: a response names its request and round-trip time; the request is linked back by readers.
      const a = pipelineOf(e.conn).analyze(e.text, e.sender, e.seq, e.mono, e.t);
      // What the import found in the frame itself (an unmasked client frame, invalid UTF-8) stays, first.
      e.findings = e.findings.length === 0 ? a.findings : [...e.findings, ...a.findings];
      if (a.msg) e.msg = a.msg;
      if (a.problem) e.problem = problemForEvent(a.problem);
      if (a.pair) e.pair = a.pair;
    } else if (e.kind === 'closed' && p) {
      note(e.conn, p.closed(e.t), e.mono, e.t);
      pipelines.delete(e.conn);
    }
  }
  // Connections the file leaves open end with it.
  const last = out[out.length - 1];
  for (const [conn, p] of pipelines) if (last && p.observing) note(conn, p.closed(last.t), last.mono, last.t);
  // The end of input is the last moment anything can be judged, as when a live connection closes: what expired by
  // the last event is reported, a window still open then is not (the station might have come back had it gone on).
  if (last && observers.length > 0) noteScope(advanceScopes(observers, last.t), last.mono, last.t);
  if (moved.size > 0) {
    const to = (seq: number): number => moved.get(seq) ?? seq;
    for (const e of kept) {
      if (e.pair) e.pair.partnerSeq = to(e.pair.partnerSeq);
      for (const f of e.findings) if (f.related) f.related = f.related.map(to);
    }
  }
  return out;
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
