import type { FrameEvent, ScopeEvent } from '../../../shared/capture/events';
import {
  buildCall,
  buildCallError,
  buildCallResult,
  newMessageId,
  parseFrame,
} from '../../../shared/ocpp/frame';
import type { Frame, FrameProblem } from '../../../shared/ocpp/frame-types';
import type { JsonValue } from '../../../shared/ocpp/json';
import { resolvePointer } from '../../../shared/ocpp/json-pointer';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import {
  contentFailures,
  describeExpect,
  describeMatcher,
  frameLabel,
  matcherFailure,
  isCandidate,
  payloadOf,
  typeIds,
} from '../../../shared/scenario/matchers';
import { needsPerson } from '../../../shared/scenario/parse-scenario';
import type {
  AnswerRule,
  CaseProgress,
  CaseResult,
  CheckStatus,
  ConnectStep,
  ExpectHandshakeStep,
  ExpectNoneStep,
  ExpectStep,
  Matcher,
  ReportFrame,
  RunReport,
  Scenario,
  ScenarioCase,
  SendStep,
  Step,
  StepFailure,
} from '../../../shared/scenario/scenario-types';
import { fillTemplate, fillText } from '../../../shared/scenario/template';
import type { Connection } from '../connections/connection';
import type { CheckPeer } from './check-peer';

/**
 * Runs a scenario's cases, one after the other, against one peer. The runner answers the peer's CALLs itself (the
 * connection's answer book holds them: see the callers), with the case's answer rules, else the scenario's, else
 * the fallback (the engine's auto-answer). Each case gets a verdict: passed, failed (with the step, what was
 * expected and what came), inconclusive (a person did not answer a prompt in time, or the run was stopped) or
 * skipped (a person skipped it, or it needs a person and prompts are off).
 *
 * Frames the peer sends are kept in an inbox: an expect step takes the first unconsumed frame of the kind it waits
 * for that arrived since the previous case ended (so a BootNotification sent on connect counts for the first case).
 */

export type PromptAnswer = 'done' | 'skip' | 'timeout';

export interface CheckRunOptions {
  /** Run only these case ids (all when absent). */
  cases?: string[];
  /** Skip cases that need a person. */
  noPrompt?: boolean;
  /** Asks the person; resolves with their answer or 'timeout' past the deadline. */
  prompt?: (prompt: NonNullable<CheckStatus['prompt']>, signal: AbortSignal) => Promise<PromptAnswer>;
  /** The answer to a peer CALL no rule covers (the engine's auto-answer), or undefined to leave it unanswered. */
  fallbackAnswer?: (version: OcppVersion, messageId: string, action: string) => string | undefined;
  onStatus?: (status: CheckStatus) => void;
  signal?: AbortSignal;
  /** Values for the scenario's `variables` (override its defaults). */
  vars?: Record<string, JsonValue>;
  /** Default seconds for expect steps (cases may say otherwise). */
  defaultTimeoutSec?: number;
  tool?: string;
}

interface Received {
  seq: number;
  conn: string;
  text: string;
  frame?: Frame;
  problem?: FrameProblem;
  answeredAction?: string;
  consumed: boolean;
}

/** Frames kept per case for the report: enough for any sane case, bounded against a flooding peer. */
const MAX_CASE_FRAMES = 500;
const MAX_INBOX = 2000;

class StepFailed extends Error {
  constructor(readonly failure: Omit<StepFailure, 'step' | 'stepText'>) {
    super(failure.actual);
  }
}

class CaseSkipped extends Error {}
class CaseInconclusive extends Error {}

function stepText(step: Step, timeoutSec: number): string {
  if (step.title) return step.title;
  switch (step.step) {
    case 'send':
      if ('action' in step) return `send ${step.action}`;
      if ('frame' in step) return `send frame ${JSON.stringify(step.frame).slice(0, 60)}`;
      return `send raw text ${JSON.stringify(step.raw.slice(0, 60))}`;
    case 'expect':
      return `expect ${describeExpect(step, timeoutSec)}`;
    case 'expect-none':
      return `expect ${describeExpect(step, timeoutSec)}`;
    case 'capture':
      return `capture ${step.name} from ${step.pointer}`;
    case 'prompt':
      return `ask the person: ${step.text}`;
    case 'wait':
      return `wait ${step.seconds} s`;
    case 'disconnect':
      return 'disconnect';
    case 'reconnect':
      return 'reconnect';
    case 'answer':
      return `answer ${step.action} with ${Object.keys(step.with)[0]}`;
    case 'connect':
      return `connect${step.basicAuth === null ? ' without credentials' : step.basicAuth ? ' with other credentials' : ''}, expecting the CSMS to ${step.expect === 'refused' ? `refuse it (HTTP ${step.status ?? '4xx'})` : 'accept it'}`;
    case 'expect-handshake':
      return `expect a handshake with ${Object.entries(step.match)
        .map(([p, m]) => `${p} ${describeMatcher(m)}`)
        .join(', ')}`;
  }
}

export class CheckRun {
  private status: CheckStatus;
  private inbox: Received[] = [];
  private readonly changeListeners = new Set<() => void>();
  private caseFrames: ReportFrame[] | undefined;
  private caseSeqs: number[] = [];
  private caseAnswers: Record<string, AnswerRule> = {};
  private vars = new Map<string, JsonValue>();
  private lastSentId: string | undefined;
  private readonly namedIds = new Map<string, string>();
  private lastMatched: Frame | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly abort = new AbortController();
  private promptCounter = 0;
  private readonly runId = globalThis.crypto.randomUUID();
  private reconnectBase = 0;
  private prevStepSeq = -1;

  constructor(
    private readonly scenario: Scenario,
    private readonly peer: CheckPeer,
    private readonly options: CheckRunOptions = {},
  ) {
    this.status = {
      state: 'idle',
      suite: scenario.name,
      peer: peer.name,
      cases: this.selected().map((c): CaseProgress => ({
        id: c.id,
        title: c.title,
        ...(c.octt !== undefined ? { octt: c.octt } : {}),
        state: 'pending',
        manual: needsPerson(c),
      })),
    };
    options.signal?.addEventListener('abort', () => this.stop(), { once: true });
    // From now on: a charger's first frames follow its connection at once and must not be missed.
    this.unsubscribe = peer.hub.stream.subscribe((e) => this.onEvent(e));
  }

  private selected(): ScenarioCase[] {
    const only = this.options.cases;
    return only ? this.scenario.cases.filter((c) => only.includes(c.id)) : this.scenario.cases;
  }

  getStatus(): CheckStatus {
    return structuredClone(this.status);
  }

  private publish(): void {
    this.options.onStatus?.(this.getStatus());
  }

  /** Stops listening to the stream (run() does it when it ends; call it for a run that is never started). */
  dispose(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  stop(): void {
    this.abort.abort();
    this.changed();
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private changed(): void {
    for (const l of [...this.changeListeners]) l();
  }

  /** Resolves with the first defined value of `check`, re-checked on every inbox change, or undefined past `ms`. */
  private until<T>(check: () => T | undefined, ms: number): Promise<T | undefined> {
    const now = check();
    if (now !== undefined || this.stopped) return Promise.resolve(now);
    return new Promise((resolve) => {
      const done = (v: T | undefined): void => {
        clearTimeout(timer);
        this.changeListeners.delete(listener);
        resolve(v);
      };
      const listener = (): void => {
        if (this.stopped) return done(undefined);
        const v = check();
        if (v !== undefined) done(v);
      };
      const timer = setTimeout(() => done(check()), Math.max(0, ms));
      this.changeListeners.add(listener);
    });
  }

  private get version(): OcppVersion {
    return this.peer.current()?.version ?? this.scenario.version;
  }

  // ---- the peer's frames -----------------------------------------------------------------------------------------

  private onEvent(e: ScopeEvent): void {
    if (e.kind !== 'frame' || !this.peer.owns(e.conn)) return;
    const ours = e.sender === (this.peer.role === 'csms' ? 'csms' : 'station');
    if (this.caseFrames && this.caseFrames.length < MAX_CASE_FRAMES) {
      this.caseFrames.push({ seq: e.seq, sender: e.sender, t: e.t, text: e.text });
      this.caseSeqs.push(e.seq);
    }
    if (ours) return;
    this.receive(e);
  }

  private receive(e: FrameEvent): void {
    const r = e.binary ? undefined : parseFrame(e.text, this.version);
    const item: Received = {
      seq: e.seq,
      conn: e.conn,
      text: e.text,
      consumed: false,
      ...(r?.ok ? { frame: r.frame } : r ? { problem: r.problem } : {}),
      ...(e.msg?.action !== undefined && e.msg.type !== 2 ? { answeredAction: e.msg.action } : {}),
    };
    if (this.inbox.length >= MAX_INBOX)
      this.inbox = this.inbox.filter((x) => !x.consumed).slice(-MAX_INBOX / 2);
    this.inbox.push(item);
    if (item.frame?.type === 2) this.answer(e.conn, item.frame.id, item.frame.action);
    this.changed();
  }

  private ruleFor(action: string): AnswerRule | undefined {
    const scenario = this.scenario.answers ?? {};
    return this.caseAnswers[action] ?? this.caseAnswers['*'] ?? scenario[action] ?? scenario['*'];
  }

  /** Answers a peer CALL after the engine recorded (and held) it. */
  private answer(conn: string, messageId: string, action: string): void {
    const rule = this.ruleFor(action);
    const vars = this.templateVars();
    vars.set('messageId', messageId);
    let text: string | undefined;
    if (!rule) text = this.options.fallbackAnswer?.(this.version, messageId, action);
    else if ('none' in rule) text = undefined;
    else if ('raw' in rule) text = fillText(rule.raw, vars).value;
    else if ('payload' in rule) text = buildCallResult(messageId, fillTemplate(rule.payload, vars).value);
    else
      text = buildCallError(
        messageId,
        rule.error.code,
        rule.error.description ?? '',
        rule.error.details ? fillTemplate(rule.error.details, vars).value : {},
      );
    if (text === undefined) return;
    const answer = text;
    // After the connection has finished handling the CALL (and held it), so the answer also clears the hold.
    queueMicrotask(() => {
      const c = this.connectionById(conn);
      if (c?.isOpen) c.send(answer);
    });
  }

  private connectionById(conn: string): Connection | undefined {
    const c = this.peer.current();
    return c?.id === conn ? c : this.peer.hub.get(conn);
  }

  // ---- the run ---------------------------------------------------------------------------------------------------

  /** Runs every selected case; resolves with the report. */
  async run(): Promise<RunReport> {
    const startedAt = Date.now();
    this.status.state = 'running';
    this.publish();
    // Calls the connection held before the run began (none, unless the caller was slow to start it).
    const c = this.peer.current();
    for (const h of c?.held() ?? []) this.answer(c!.id, h.messageId, h.action);
    const results: CaseResult[] = [];
    try {
      for (const [i, c] of this.selected().entries()) {
        const result = await this.runCase(c, i);
        results.push(result);
        this.status.cases[i] = {
          ...this.status.cases[i]!,
          state: result.verdict,
          ...(result.reason !== undefined ? { detail: result.reason } : {}),
        };
        this.publish();
      }
    } finally {
      this.dispose();
    }
    const report: RunReport = {
      suite: this.scenario.name,
      version: this.scenario.version,
      role: this.scenario.role,
      peer: this.peer.name,
      tool: this.options.tool ?? 'OCPP Scope',
      startedAt,
      durationMs: Date.now() - startedAt,
      cases: results,
    };
    this.status.state = this.stopped ? 'stopped' : 'done';
    delete this.status.prompt;
    this.status.report = report;
    this.publish();
    return report;
  }

  private async runCase(c: ScenarioCase, index: number): Promise<CaseResult> {
    const startedAt = Date.now();
    const base = {
      id: c.id,
      title: c.title,
      ...(c.octt !== undefined ? { octt: c.octt } : {}),
      startedAt,
    };
    const finish = (verdict: CaseResult['verdict'], reason?: string, failure?: StepFailure): CaseResult => {
      const frames = this.caseFrames ?? [];
      const conn = this.peer.current()?.id;
      this.caseFrames = undefined;
      // Frames of this case that no step looked at stay visible in the report but are not carried to the next case.
      for (const r of this.inbox) r.consumed = true;
      return {
        ...base,
        verdict,
        ...(reason !== undefined ? { reason } : {}),
        ...(failure ? { failure } : {}),
        ...(conn !== undefined ? { connection: conn } : {}),
        seqs: this.caseSeqs,
        frames,
        durationMs: Date.now() - startedAt,
      };
    };
    this.caseSeqs = [];
    this.caseFrames = [];
    if (this.stopped) return finish('skipped', 'The run was stopped before this case.');
    if (this.options.noPrompt && needsPerson(c))
      return finish('skipped', 'Needs a person at the charger, and prompts are off (--no-prompt).');
    this.status.cases[index] = { ...this.status.cases[index]!, state: 'running' };
    this.publish();
    this.caseAnswers = c.answers ?? {};
    this.vars = new Map(Object.entries({ ...this.scenario.variables, ...this.options.vars }));
    this.namedIds.clear();
    this.lastMatched = undefined;
    this.reconnectBase = this.peer.generation;
    const timeoutSec = c.timeoutSec ?? this.options.defaultTimeoutSec ?? 30;
    for (const [si, step] of c.steps.entries()) {
      const text = stepText(step, timeoutSec);
      this.status.cases[index] = { ...this.status.cases[index]!, detail: text };
      this.publish();
      try {
        await this.runStep(step, timeoutSec, c);
        if (this.stopped) return finish('inconclusive', 'The run was stopped during this case.');
      } catch (e) {
        this.caseAnswers = {};
        if (e instanceof StepFailed) {
          const failure: StepFailure = { step: si, stepText: text, ...e.failure };
          return finish('failed', `Step ${si + 1} (${text}): ${e.failure.actual}`, failure);
        }
        if (e instanceof CaseSkipped) return finish('skipped', e.message);
        if (e instanceof CaseInconclusive) return finish('inconclusive', e.message);
        const message = (e as Error).message;
        return finish('failed', `Step ${si + 1} (${text}) could not run: ${message}`, {
          step: si,
          stepText: text,
          expected: text,
          actual: message,
          seqs: [],
        });
      }
    }
    this.caseAnswers = {};
    return finish('passed');
  }

  private async runStep(step: Step, timeoutSec: number, c: ScenarioCase): Promise<void> {
    const seqAtStart = this.peer.hub.stream.count - 1;
    try {
      switch (step.step) {
        case 'send':
          return this.send(step);
        case 'expect':
          return await this.expect(step, timeoutSec);
        case 'expect-none':
          return await this.expectNone(step);
        case 'capture': {
          if (!this.lastMatched)
            throw new StepFailed({
              expected: 'a frame matched by an earlier expect',
              actual: 'no expect matched a frame yet',
              seqs: [],
            });
          this.captureFrom(this.lastMatched, { [step.name]: step.pointer });
          return;
        }
        case 'prompt':
          return await this.prompt(step.text, step.timeoutSec ?? 300, c);
        case 'wait':
          await this.until(() => (this.stopped ? true : undefined), step.seconds * 1000);
          return;
        case 'disconnect':
          await this.peer.disconnect();
          this.reconnectBase = this.peer.generation;
          return;
        case 'reconnect': {
          const within = step.within ?? timeoutSec;
          const conn = await this.peer.reconnect(this.reconnectBase, within * 1000, this.abort.signal);
          if (!conn && !this.stopped)
            throw new StepFailed({
              expected:
                this.peer.role === 'csms'
                  ? `the charger to connect again within ${within} s`
                  : 'to connect again',
              actual:
                this.peer.role === 'csms'
                  ? `the charger did not connect again within ${within} s`
                  : 'the CSMS could not be reached again',
              seqs: [],
            });
          this.reconnectBase = this.peer.generation;
          return;
        }
        case 'answer':
          this.caseAnswers = { ...this.caseAnswers, [step.action]: step.with };
          return;
        case 'expect-handshake':
          return this.expectHandshake(step);
        case 'connect':
          return await this.connect(step, timeoutSec);
      }
    } finally {
      this.prevStepSeq = seqAtStart;
    }
  }

  private templateVars(): Map<string, JsonValue> {
    const vars = new Map(this.vars);
    vars.set('now', new Date().toISOString());
    vars.set('identity', this.peer.role === 'csms' ? this.peer.name : (this.peer.current()?.identity ?? ''));
    vars.set('uuid', globalThis.crypto.randomUUID());
    vars.set('runId', this.runId);
    if (this.lastSentId !== undefined) vars.set('messageId', this.lastSentId);
    return vars;
  }

  private send(step: SendStep): void {
    const vars = this.templateVars();
    let text: string;
    let missing: string[];
    if ('action' in step) {
      const payload = fillTemplate(step.payload ?? {}, vars);
      const id = step.messageId !== undefined ? fillText(step.messageId, vars) : undefined;
      text = buildCall(id?.value ?? newMessageId(), step.action, payload.value);
      missing = [...payload.missing, ...(id?.missing ?? [])];
    } else if ('frame' in step) {
      const frame = fillTemplate(step.frame, vars);
      text = JSON.stringify(frame.value);
      missing = frame.missing;
    } else {
      const raw = fillText(step.raw, vars);
      text = raw.value;
      missing = raw.missing;
    }
    if (missing.length > 0)
      throw new StepFailed({
        expected: `values for ${missing.map((m) => `{{${m}}}`).join(', ')}`,
        actual: `${missing.join(', ')} ${missing.length === 1 ? 'was' : 'were'} never captured (the step that captures it did not match)`,
        seqs: [],
      });
    const c = this.peer.current();
    if (!c?.isOpen)
      throw new StepFailed({
        expected: 'an open connection to send on',
        actual: 'the connection is closed',
        seqs: [],
      });
    const event = c.send(text);
    const id = event.msg?.id ?? event.problem?.messageId;
    this.lastSentId = id;
    if (step.name !== undefined && id !== undefined) this.namedIds.set(step.name, id);
  }

  private captureFrom(frame: Frame, capture: Record<string, string>): void {
    const payload = payloadOf(frame);
    for (const [name, pointer] of Object.entries(capture)) {
      const r = resolvePointer(payload, pointer);
      if (!r.found)
        throw new StepFailed({
          expected: `a value at ${pointer} to capture as ${name}`,
          actual: `${frameLabel(frame)} has nothing at ${pointer}`,
          seqs: [],
        });
      this.vars.set(name, r.value);
    }
  }

  /** The id an answer must carry, for expects of answers. */
  private answerId(step: ExpectStep): string | undefined {
    const types = typeIds(step.messageType);
    const answersOnly =
      (types !== undefined && types.every((t) => t === 3 || t === 4 || t === 5)) ||
      (types === undefined && step.errorCode !== undefined && step.action === undefined);
    const answering = step.answering ?? (answersOnly && step.messageId === undefined ? 'last' : undefined);
    if (answering === undefined || answering === 'any') return undefined;
    if (answering === 'last') return this.lastSentId ?? '\u0000none';
    return this.namedIds.get(answering) ?? '\u0000none';
  }

  private async connect(step: ConnectStep, timeoutSec: number): Promise<void> {
    const expected = stepText(step, timeoutSec);
    if (!this.peer.attempt)
      throw new StepFailed({
        expected,
        actual:
          'a connect step needs the tool to be the charger (role "station"); here the charger connects to us',
        seqs: [],
      });
    const vars = this.templateVars();
    const auth =
      step.basicAuth == null
        ? step.basicAuth
        : {
            username: fillText(step.basicAuth.username ?? '{{identity}}', vars).value,
            password: fillText(step.basicAuth.password, vars).value,
          };
    const within = step.within ?? timeoutSec;
    const attempt = this.peer.attempt(auth);
    const c = await Promise.race([
      attempt,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), within * 1000).unref()),
    ]);
    if (!c) {
      // Still trying past the window: whatever it becomes, it is not this step's any more.
      void attempt.then((late) => late.close(1000, 'check: connect step timed out').catch(() => undefined));
      throw new StepFailed({ expected, actual: `no answer to the upgrade within ${within} s`, seqs: [] });
    }
    this.reconnectBase = this.peer.generation;
    const status = c.handshake?.response?.status;
    const got = c.isOpen
      ? 'the CSMS accepted the connection (101 Switching Protocols)'
      : status !== undefined
        ? `the CSMS refused it: ${c.handshake?.response?.startLine ?? `HTTP ${status}`}`
        : `the connection failed before the CSMS answered: ${c.failure?.message ?? 'no answer'}`;
    const ok =
      step.expect === 'refused'
        ? !c.isOpen &&
          status !== undefined &&
          (step.status !== undefined ? status === step.status : status >= 400 && status < 500)
        : c.isOpen;
    if (!ok) throw new StepFailed({ expected, actual: got, seqs: [] });
  }

  private expectHandshake(step: ExpectHandshakeStep): void {
    const c = this.peer.current();
    const handshake = c?.handshake;
    const expected = stepText(step, 0);
    if (!handshake)
      throw new StepFailed({
        expected,
        actual: 'there is no connection (no handshake to look at)',
        seqs: [],
      });
    const match = fillTemplate(step.match as unknown as JsonValue, this.templateVars())
      .value as unknown as Record<string, Matcher>;
    const why: string[] = [];
    for (const [pointer, m] of Object.entries(match)) {
      const r = resolvePointer(handshake, pointer);
      const failure = matcherFailure(m, r.found ? r.value : undefined);
      if (failure) why.push(`${pointer} ${failure}`);
    }
    if (why.length) throw new StepFailed({ expected, actual: why.join('; '), seqs: [] });
  }

  private async expect(original: ExpectStep, timeoutSec: number): Promise<void> {
    // Matchers may compare with captured values ({{txId}}).
    const step: ExpectStep = original.match
      ? {
          ...original,
          match: fillTemplate(original.match as unknown as JsonValue, this.templateVars())
            .value as unknown as Record<string, Matcher>,
        }
      : original;
    const within = step.within ?? timeoutSec;
    const answerId = this.answerId(step);
    let closest: { item: Received; why: string[] } | undefined;
    const look = (): Received | { final: Received; why: string[] } | undefined => {
      for (const item of this.inbox) {
        if (item.consumed) continue;
        if (!item.frame) {
          // A frame that does not parse answers our call when its id is ours: that is the answer, and it is wrong.
          if (answerId !== undefined && item.problem?.messageId === answerId)
            return { final: item, why: [`the answer does not parse: ${item.problem.message}`] };
          continue;
        }
        const f = item.frame;
        const context = item.answeredAction !== undefined ? { answeredAction: item.answeredAction } : {};
        if (answerId !== undefined && (f.type === 3 || f.type === 4 || f.type === 5) && f.id === answerId) {
          // The one answer to our call: a wrong type or content is final, there will be no other.
          if (!isCandidate({ ...step, action: undefined, messageId: undefined }, f, context))
            return {
              final: item,
              why: [`expected ${typeList(step)}, got ${frameLabel(f, item.answeredAction)}`],
            };
          const why = contentFailures(step, f);
          return why.length ? { final: item, why } : item;
        }
        if (!isCandidate(step, f, context, answerId)) continue;
        const why = contentFailures(step, f);
        if (why.length === 0) return item;
        closest = { item, why };
      }
      return undefined;
    };
    const found = await this.until(look, within * 1000);
    if (this.stopped) return;
    if (found && !('final' in found)) {
      found.consumed = true;
      this.lastMatched = found.frame;
      if (step.capture && found.frame) this.captureFrom(found.frame, step.capture);
      return;
    }
    const failing = found && 'final' in found ? { item: found.final, why: found.why } : closest;
    if (failing) {
      failing.item.consumed = true;
      throw new StepFailed({
        expected: describeExpect(step, timeoutSec),
        actual: failing.why.join('; '),
        actualFrame: failing.item.text,
        seqs: this.seqsAround(failing.item.seq, answerId),
      });
    }
    const closed = this.peer.current()?.isOpen === false ? ' (the connection is closed)' : '';
    throw new StepFailed({
      expected: describeExpect(step, timeoutSec),
      actual: `nothing of that kind came within ${within} s${closed}`,
      seqs: this.lastSentSeq(answerId),
    });
  }

  private async expectNone(step: ExpectNoneStep): Promise<void> {
    const from = this.prevStepSeq;
    const look = (): Received | undefined =>
      this.inbox.find(
        (item) =>
          !item.consumed &&
          item.seq > from &&
          item.frame !== undefined &&
          isCandidate(
            step,
            item.frame,
            item.answeredAction !== undefined ? { answeredAction: item.answeredAction } : {},
          ),
      );
    const found = await this.until(look, step.within * 1000);
    if (found?.frame) {
      found.consumed = true;
      throw new StepFailed({
        expected: describeExpect(step, step.within),
        actual: `${frameLabel(found.frame, found.answeredAction)} came`,
        actualFrame: found.text,
        seqs: [found.seq],
      });
    }
  }

  private seqsAround(seq: number, answerId: string | undefined): number[] {
    return [...this.lastSentSeq(answerId), seq];
  }

  /** The seq of our frame an answer is for (from the case's frames). */
  private lastSentSeq(answerId: string | undefined): number[] {
    if (answerId === undefined || !this.caseFrames) return [];
    const ours = this.peer.role === 'csms' ? 'csms' : 'station';
    const hit = [...this.caseFrames]
      .reverse()
      .find((f) => f.sender === ours && f.text.includes(JSON.stringify(answerId)));
    return hit ? [hit.seq] : [];
  }

  private async prompt(text: string, timeoutSec: number, c: ScenarioCase): Promise<void> {
    if (!this.options.prompt)
      throw new CaseSkipped('Needs a person at the charger, and nobody can be asked here.');
    const prompt = {
      id: `prompt-${++this.promptCounter}`,
      caseId: c.id,
      caseTitle: c.title,
      text: fillText(text, this.templateVars()).value,
      deadline: Date.now() + timeoutSec * 1000,
    };
    this.status.prompt = prompt;
    this.publish();
    let answer: PromptAnswer;
    try {
      answer = await this.options.prompt(prompt, this.abort.signal);
    } finally {
      delete this.status.prompt;
      this.publish();
    }
    if (this.stopped) return;
    if (answer === 'skip') throw new CaseSkipped('Skipped by the person at the charger.');
    if (answer === 'timeout')
      throw new CaseInconclusive(`Nobody confirmed "${prompt.text}" within ${timeoutSec} s.`);
  }
}

function typeList(step: ExpectStep): string {
  const t = step.messageType;
  if (t === undefined) return step.errorCode !== undefined ? 'CALLERROR' : 'an answer';
  return Array.isArray(t) ? t.join(' or ') : t;
}
