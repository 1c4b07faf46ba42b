import type { Finding } from './finding';
import type { Sender } from './sender';
import type { Frame } from './frame-types';
import type { JsonValue } from './json';
import type { OcppVersion } from './versions';

/**
 * The behaviour-rules stage of the analysis pipeline: after parse, pairing and schema checks, every frame that
 * parsed is handed to the connection's observers in wire order. Observers are pure (no timers, no I/O): time only
 * moves through the `t` of what they are given, so live traffic, imports and replays give the same findings.
 */
export interface ObservedFrame {
  seq: number;
  /** Wall clock at the wire, ms since epoch. */
  t: number;
  sender: Sender;
  frame: Frame;
  /** For a response: the request it answers, when pairing found it. */
  request?: { seq: number; t: number; action: string; payload: JsonValue };
  /** What the earlier stages (framing, schema, pairing) already found on this frame. */
  findings: readonly Finding[];
}

/** A finding raised when time passes or the connection ends, about no single new frame (a reply that never came). */
export interface TimedFinding {
  /** The wire time at which the rule concluded. */
  t: number;
  finding: Finding;
}

export interface FrameObserver {
  /** Findings to add to this frame (each may name earlier frames in `related`). */
  observe(frame: ObservedFrame): Finding[];
  /** Time has reached `t` (a later frame, a ping, the engine's clock, the end of an import): expired expectations. */
  advance(t: number): TimedFinding[];
  /** The connection closed (or the import ended) at `t`. */
  closed(t: number): TimedFinding[];
  /**
   * Optional: whether observe() reads the payload of the answer to `requester`'s CALL `id` of `action`. When every
   * observer says no, an answer the engine built itself (auto-answer) is not parsed again for them: its frame
   * carries an empty payload. Without this method the payload is always given.
   */
  readsAnswer?(requester: Sender, action: string, id: string): boolean;
  /**
   * Optional: a time before which advance() concludes nothing and changes nothing, as things stand after the last
   * frame observed and the last advance (the engine's rule clock then passes the connection by until a frame comes
   * or that time is reached). Without this method the observer is advanced on every tick.
   */
  quietUntil?(): number;
}

/**
 * Which connection an observer watches. With it, observers of one identity share what outlives a connection: a
 * Reset accepted on one connection is honoured by a BootNotification on the next one with the same identity.
 */
export interface ObservedConnection {
  /** Connection id (the events' `conn`). */
  conn: string;
  /** Charge point identity. */
  identity: string;
}

export type FrameObserverFactory = ((
  version: OcppVersion | undefined,
  connection?: ObservedConnection,
) => FrameObserver) & {
  /** The scope the factory's observers share, when it judges something beyond its live connections. */
  readonly scope?: ObserverScope;
};

/**
 * How often the behaviour rules hear the time when no frame comes: the engine's rule clock ticks at this rate while
 * a connection is live, and an import advances every open connection each time its events pass this much time.
 */
export const RULE_TICK_MS = 1000;

/** A timed finding about a connection that has closed meanwhile (a Reset accepted, then no reconnect at all). */
export interface ConnectionTimedFinding extends TimedFinding {
  conn: string;
}

/**
 * What a scope of observers (one engine, one import) waits for beyond its live connections: an identity none of
 * whose connections is live any more (a Reset accepted, the connection closed, no new one came). Nothing drives it
 * but its owner: the engine's rule clock, or an import as its events pass and at the end of input.
 */
export interface ObserverScope {
  /** Time has reached `t`: the expectations that expired, each naming the connection it is about. */
  advance(t: number): ConnectionTimedFinding[];
  /** The earliest time at which `advance` could conclude something; Infinity when nothing waits. */
  nextDeadline(): number;
}

/** The distinct scopes behind a list of factories. */
function scopesOf(factories: readonly FrameObserverFactory[]): ObserverScope[] {
  const out: ObserverScope[] = [];
  for (const f of factories) if (f.scope && !out.includes(f.scope)) out.push(f.scope);
  return out;
}

/** Advances every scope behind `factories` to `t`. */
export function advanceScopes(
  factories: readonly FrameObserverFactory[],
  t: number,
): ConnectionTimedFinding[] {
  const out: ConnectionTimedFinding[] = [];
  for (const s of scopesOf(factories)) out.push(...s.advance(t));
  return out;
}

/** The earliest deadline any scope behind `factories` waits for; Infinity when none does. */
export function nextScopeDeadline(factories: readonly FrameObserverFactory[]): number {
  let next = Number.POSITIVE_INFINITY;
  for (const s of scopesOf(factories)) next = Math.min(next, s.nextDeadline());
  return next;
}
