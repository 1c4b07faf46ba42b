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
}

export type FrameObserverFactory = (version: OcppVersion | undefined) => FrameObserver;
