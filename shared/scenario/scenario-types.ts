import type { JsonObject, JsonValue } from '../ocpp/json';
import type { OcppVersion } from '../ocpp/versions';

/**
 * The scenario format: a suite is a list of cases, a case a list of steps run in order against one live peer. The
 * same types serve the built-in suites, a user's scenario file (docs/scenarios.md, schema in scenario-schema.ts),
 * the compiler from a recorded connection, and the reports. Plain JSON throughout, so a scenario can be saved,
 * edited and sent over the UI contract as is.
 */

/** Which side the tool plays: 'csms' tests a charger (it connects to us), 'station' tests a CSMS (we connect). */
export type ScenarioRole = 'csms' | 'station';

/** A message type by number (2 CALL, 3 CALLRESULT, 4 CALLERROR, 5 CALLRESULTERROR, 6 SEND) or by name. */
export type MessageTypeName = 'CALL' | 'CALLRESULT' | 'CALLERROR' | 'CALLRESULTERROR' | 'SEND';

/**
 * A test on one value. Every field given must hold. A value that is not there passes only `absent` (and fails
 * everything else, so `{ "equals": 1 }` also requires presence).
 */
export interface Matcher {
  equals?: JsonValue;
  oneOf?: JsonValue[];
  /** A JavaScript regular expression tested against a string value. */
  regex?: string;
  /** Number range, inclusive. */
  min?: number;
  max?: number;
  exists?: boolean;
  absent?: boolean;
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';
}

/** How the tool answers the peer's CALL of one action while a case runs (default: the auto-answer). */
export type AnswerRule =
  | { payload: JsonObject }
  | { error: { code: string; description?: string; details?: JsonObject } }
  /** Text sent as is, valid or not (templates are filled in; `{{messageId}}` is the CALL's id). */
  | { raw: string }
  /** Leave the CALL unanswered (the peer's timeout is under test). */
  | { none: true };

/** Sends one frame: a CALL built from action and payload, a frame given as JSON, or raw text (malformed on purpose). */
export type SendStep = StepBase & { step: 'send' } & (
    | {
        action: string;
        payload?: JsonObject;
        /** Force this message id (a duplicate-id case); a fresh one otherwise. */
        messageId?: string;
      }
    | { frame: JsonValue[] }
    | { raw: string }
  ) & {
    /** A name for this call's id, so a later `expect` can match its answer with `answering`. */
    name?: string;
  };

export interface ExpectStep extends StepBase {
  step: 'expect';
  /** Message type(s) accepted; for answers (3, 4) the default `answering` is the last frame we sent. */
  messageType?: MessageTypeName | MessageTypeName[];
  /** For CALL and SEND: the action; for answers: the action of the call answered (when it is ours). */
  action?: string | string[];
  /** For answers: 'last' (the last frame we sent with an id), a `name` given to a send step, or 'any'. */
  answering?: string;
  /** Exact message id (e.g. the id inside a raw malformed frame). */
  messageId?: string;
  /** For CALLERROR/CALLRESULTERROR: the error code(s) accepted. */
  errorCode?: string | string[];
  /** JSON pointer into the payload (errorDetails for errors) -> test. */
  match?: Record<string, Matcher>;
  /** Seconds to wait (default: the case's timeoutSec, else 30). */
  within?: number;
  /** Keep values of the matched frame: name -> JSON pointer into its payload. */
  capture?: Record<string, string>;
}

/** Passes when no frame of this kind arrives within the window; fails on the first that does. */
export interface ExpectNoneStep extends StepBase {
  step: 'expect-none';
  messageType?: MessageTypeName | MessageTypeName[];
  action?: string | string[];
  within: number;
}

/** Keeps a value of the frame the last `expect` matched (same as an expect's `capture`, as its own step). */
export interface CaptureStep extends StepBase {
  step: 'capture';
  name: string;
  /** JSON pointer into the last matched frame's payload. */
  pointer: string;
}

/** A manual step for the person at the charger: Done goes on, Skip skips the case, no answer is inconclusive. */
export interface PromptStep extends StepBase {
  step: 'prompt';
  text: string;
  /** Seconds to wait for the person (default 300). */
  timeoutSec?: number;
}

export interface WaitStep extends StepBase {
  step: 'wait';
  seconds: number;
}

/** The tool closes the connection. */
export interface DisconnectStep extends StepBase {
  step: 'disconnect';
}

/** csms role: waits for the charger to connect again; station role: connects again. */
export interface ReconnectStep extends StepBase {
  step: 'reconnect';
  within?: number;
}

/**
 * station role: opens a new connection to the CSMS (the current one is closed first), with other Basic auth
 * credentials when given, and expects the CSMS to accept it or to refuse the upgrade with an HTTP status (a wrong
 * password must get 401). An accepted connection becomes the current one; after a refused one, later steps need a
 * `connect` (or `reconnect`) that is accepted.
 */
export interface ConnectStep extends StepBase {
  step: 'connect';
  /** Credentials for this attempt (templates are filled in); `null` sends none. Absent: the run's own. */
  basicAuth?: { username?: string; password: string } | null;
  /** What the CSMS must do. Default 'accepted'. */
  expect?: 'accepted' | 'refused';
  /** With 'refused': the HTTP status the CSMS must answer with (default: any 4xx). */
  status?: number;
  /** Seconds the attempt may take (default: the case's timeoutSec, else 30). */
  within?: number;
}

/**
 * Tests the opening handshake of the current connection (the engine's HandshakeRecord: `/basicAuth/username`,
 * `/tls/protocol`, `/chosenProtocol`, `/request/headers`...), e.g. that a charger sent Basic auth or spoke TLS 1.2+.
 */
export interface ExpectHandshakeStep extends StepBase {
  step: 'expect-handshake';
  match: Record<string, Matcher>;
}

/** Changes how the tool answers the peer's CALLs of `action` for the rest of the case. */
export interface AnswerStep extends StepBase {
  step: 'answer';
  action: string;
  with: AnswerRule;
}

interface StepBase {
  /** Shown in progress and reports instead of the generated description. */
  title?: string;
}

export type Step =
  | SendStep
  | ExpectStep
  | ExpectNoneStep
  | CaptureStep
  | PromptStep
  | WaitStep
  | DisconnectStep
  | ReconnectStep
  | AnswerStep
  | ExpectHandshakeStep
  | ConnectStep;

export type StepKind = Step['step'];

/** Every step kind, at run time (the parser and the JSON schema both list these). */
export const STEP_KINDS = [
  'send',
  'expect',
  'expect-none',
  'capture',
  'prompt',
  'wait',
  'disconnect',
  'reconnect',
  'answer',
  'expect-handshake',
  'connect',
] as const satisfies readonly StepKind[];

export interface ScenarioCase {
  /** Stable id within the suite (kebab-case), used by --case and in reports. */
  id: string;
  title: string;
  /** The conformance test case id this case corresponds to (an id only, e.g. TC_010_CS), when one exists. */
  octt?: string;
  description?: string;
  /** Default seconds for expect steps. */
  timeoutSec?: number;
  /** How the tool answers the peer's CALLs while this case runs, per action (`*` for any). */
  answers?: Record<string, AnswerRule>;
  steps: Step[];
}

export interface Scenario {
  name: string;
  description?: string;
  version: OcppVersion;
  role: ScenarioRole;
  /**
   * Values steps refer to as `{{name}}` (an idTag the CSMS under test knows...), with defaults here; a run may
   * override them (`check --var name=value`).
   */
  variables?: Record<string, JsonValue>;
  /** Answers for the whole run (cases can override per action), e.g. BootNotification Accepted with interval. */
  answers?: Record<string, AnswerRule>;
  cases: ScenarioCase[];
}

export type Verdict = 'passed' | 'failed' | 'inconclusive' | 'skipped';

/** What went wrong in a failed (or inconclusive) case, with the frames a person needs to see. */
export interface StepFailure {
  /** Index of the step in the case. */
  step: number;
  /** The step as a person reads it, e.g. `expect CALLRESULT to Reset with /status = "Accepted" within 30 s`. */
  stepText: string;
  /** What was expected, one sentence. */
  expected: string;
  /** What came instead, one sentence (e.g. `CALLERROR NotImplemented`, `nothing within 30 s`). */
  actual: string;
  /** The frame that came closest (the one that failed a matcher), as it crossed the wire. */
  actualFrame?: string;
  /** Event seqs in the engine's stream of the frames involved (our request, the peer's answer). */
  seqs: number[];
}

export interface CaseResult {
  id: string;
  title: string;
  octt?: string;
  verdict: Verdict;
  /** One sentence; for skipped and inconclusive the reason, for failed the failure. */
  reason?: string;
  failure?: StepFailure;
  /** The connection the case ran on (engine connection id), for jumping to its frames. */
  connection?: string;
  /** Every frame event of this case (seq in the engine's stream). */
  seqs: number[];
  /** Frames of the case as they crossed the wire (for reports that have no access to the log). */
  frames: ReportFrame[];
  startedAt: number;
  durationMs: number;
}

export interface ReportFrame {
  seq: number;
  /** Who sent it in OCPP terms. */
  sender: 'station' | 'csms';
  t: number;
  text: string;
}

export interface RunReport {
  suite: string;
  version: OcppVersion;
  role: ScenarioRole;
  /** The peer under test: charger identity (csms role) or CSMS URL (station role). */
  peer: string;
  tool: string;
  startedAt: number;
  durationMs: number;
  cases: CaseResult[];
}

/** Where one case stands while a run goes on. */
export interface CaseProgress {
  id: string;
  title: string;
  octt?: string;
  state: 'pending' | 'running' | Verdict;
  /** While running: the step being run, in words; when done: the reason (failed, skipped, inconclusive). */
  detail?: string;
  /** Needs a person at the charger (has prompt steps). */
  manual: boolean;
}

/** A manual step waiting for the person at the charger. */
export interface PendingPrompt {
  /** Answer with this id (it changes with every prompt). */
  id: string;
  caseId: string;
  caseTitle: string;
  text: string;
  /** Epoch ms after which the case is inconclusive. */
  deadline: number;
}

/** The state of a check run, pushed on every change (UI) and printed at the end (CLI). */
export interface CheckStatus {
  state: 'idle' | 'connecting' | 'running' | 'done' | 'failed' | 'stopped';
  suite?: string;
  peer?: string;
  cases: CaseProgress[];
  prompt?: PendingPrompt;
  report?: RunReport;
  error?: string;
}
