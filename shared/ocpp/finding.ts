/** How much a finding matters: an error breaks the protocol, a warning is suspicious, info is worth knowing. */
export type Severity = 'error' | 'warning' | 'info';

/** A finding annotates; it never blocks. `code` is stable (kebab-case) so tests, filters and docs can rely on it. */
export interface Finding {
  code: string;
  severity: Severity;
  /** One sentence a person understands. */
  message: string;
  /** JSON pointer into the payload (e.g. `/chargingStation/model`), when the finding is about one value. */
  path?: string;
  /** The CALLERROR code a strict peer would answer with, for the connection's version. */
  errorCode?: string;
  /** Other events this finding is about (seq), e.g. the first StopTransaction when a second one comes. */
  related?: number[];
  /** Specification reference as an id only (e.g. `OCPP-J 4.1.3`, `E06.FR.04`); the OCA text is never copied. */
  spec?: string;
}

/** "Nothing found", shared: nearly every frame has no finding, so a check says so without an array per frame. */
export const NO_FINDINGS: readonly Finding[] = Object.freeze([]);
