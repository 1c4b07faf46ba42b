import type { ReplayReportItem, ReplayStatus } from '../../../shared/api';
import type { IgnoreRules } from '../../../shared/capture/ignore-rules';
import { DEFAULT_IGNORE } from '../../../shared/capture/ignore-rules';
import type { IdMap } from '../../../shared/capture/replay-diff';
import { diffFrames, learnIds, shiftTimestamps, substituteIds } from '../../../shared/capture/replay-diff';
import { buildCallError, buildCallResult, newMessageId, parseFrame } from '../../../shared/ocpp/frame';
import { stringifyJson } from '../../../shared/ocpp/json-deep';
import type { Frame } from '../../../shared/ocpp/frame-types';
import type { JsonObject } from '../../../shared/ocpp/json';
import type { IncomingStep, OutgoingStep, ReplayPlan } from './replay-plan';
import type { ReplayLink } from './replay-link';

/**
 * Runs a replay plan over a live link. Our side's frames go out in the recorded order, with the recorded timing
 * scaled by `speed` (0 = as fast as the peer answers), each CALL with a fresh message id and waiting for its answer.
 * The peer's CALLs are answered with what we answered in the recording (matched by action, in order), else by the
 * fallback (the auto-answer policy). Every exchange ends up in the report: matched, differed (with a structural
 * diff under the ignore rules), missing, unexpected or timed out. Pause, resume and step gate our sends;
 * answering the peer never pauses (a charger would time out). Timestamps in what we send move by (send time -
 * recorded time of that frame): a recorded currentTime reads as the moment it is sent, whatever the speed or pauses.
 */

export interface ReplayOptions {
  speed: number;
  shiftTimestamps: boolean;
  /** How long to wait for an answer, and for a recorded peer CALL before going on. */
  timeoutMs?: number;
  /** Values compared by kind only (default: times, clock fields, assigned ids). */
  ignore?: IgnoreRules;
  /** Answer for a live CALL that the recording cannot answer (the engine's auto-answer policy). */
  fallbackAnswer?: (messageId: string, action: string) => string | undefined;
  onStatus?: (status: ReplayStatus) => void;
  /** Clock and timer, replaceable in tests. */
  now?: () => number;
  /** Grace time at the end for recorded peer CALLs that have not arrived yet. */
  tailWaitMs?: number;
}

export class ReplayRun {
  private state: ReplayStatus['state'] = 'idle';
  private position = 0;
  private readonly report: ReplayReportItem[] = [];
  private error: string | undefined;
  private readonly ids: IdMap = new Map();
  private readonly received = new Set<number>();
  private readonly incomingLeft: IncomingStep[];
  private readonly liveToRecorded = new Map<string, OutgoingStep>();
  private readonly waiters: (() => void)[] = [];
  private readonly recvWaiters: (() => void)[] = [];
  private answerWaiter: { id: string; resolve: (f: Frame | undefined) => void } | undefined;
  private gate: { resolve: () => void } | undefined;
  private steps = 0;
  private readonly now: () => number;
  private readonly ignore: IgnoreRules;
  private closed = false;
  private unsubscribe: (() => void)[] = [];
  private finished!: Promise<ReplayStatus>;

  constructor(
    private readonly plan: ReplayPlan,
    private readonly link: ReplayLink,
    private readonly options: ReplayOptions,
  ) {
    this.incomingLeft = [...plan.incoming];
    this.now = options.now ?? Date.now;
    this.ignore = options.ignore ?? DEFAULT_IGNORE;
  }

  status(): ReplayStatus {
    return {
      state: this.state,
      position: this.position,
      total: this.plan.total,
      report: [...this.report].sort((a, b) => a.index - b.index),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  private changed(): void {
    this.options.onStatus?.(this.status());
  }

  /** Starts the run; the promise settles with the final status (done or failed). */
  start(): Promise<ReplayStatus> {
    // pause() before start() means "start paused", so a user can step from the first frame.
    if (this.state === 'idle') this.state = 'running';
    this.unsubscribe.push(this.link.onMessage((text) => this.onLive(text)));
    this.unsubscribe.push(
      this.link.onClose(() => {
        this.closed = true;
        this.wakeAll();
      }),
    );
    this.changed();
    this.finished = this.run().then(
      () => this.finish(),
      (e: unknown) => {
        this.error = (e as Error).message;
        return this.finish('failed');
      },
    );
    return this.finished;
  }

  pause(): ReplayStatus {
    if (this.state === 'running' || this.state === 'idle') {
      this.state = 'paused';
      this.changed();
    }
    return this.status();
  }

  resume(): ReplayStatus {
    if (this.state === 'paused') {
      this.state = 'running';
      this.gate?.resolve();
      this.changed();
    }
    return this.status();
  }

  /** While paused: let exactly one more of our frames go out, then pause again. */
  step(): ReplayStatus {
    if (this.state === 'paused') {
      this.steps++;
      this.gate?.resolve();
    }
    return this.status();
  }

  /** Stops early: everything not done is reported missing. */
  stop(): void {
    this.closed = true;
    this.wakeAll();
  }

  private async finish(state: 'done' | 'failed' = 'done'): Promise<ReplayStatus> {
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.state = this.error ? 'failed' : state;
    this.changed();
    return this.status();
  }

  private wakeAll(): void {
    for (const w of [...this.waiters, ...this.recvWaiters]) w();
    if (this.answerWaiter) {
      const w = this.answerWaiter;
      this.answerWaiter = undefined;
      w.resolve(undefined);
    }
    this.gate?.resolve();
  }

  private add(item: ReplayReportItem): void {
    this.report.push(item);
    this.changed();
  }

  /** Sleeps; woken early only when the link closes. */
  private sleep(ms: number): Promise<void> {
    return this.wait(ms, this.waiters);
  }

  /** Sleeps until a recorded peer CALL arrives (or the link closes, or ms pass). */
  private untilReceived(ms: number): Promise<void> {
    return this.wait(ms, this.recvWaiters);
  }

  private wait(ms: number, list: (() => void)[]): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined = undefined;
      function done(): void {
        clearTimeout(timer);
        const i = list.indexOf(done);
        if (i >= 0) list.splice(i, 1);
        resolve();
      }
      timer = setTimeout(done, ms);
      list.push(done);
    });
  }

  private async waitGate(): Promise<void> {
    while (this.state === 'paused' && !this.closed) {
      if (this.steps > 0) {
        this.steps--;
        return;
      }
      await new Promise<void>((resolve) => (this.gate = { resolve }));
      this.gate = undefined;
      if (this.steps > 0) {
        this.steps--;
        return;
      }
    }
  }

  /** The recorded frame `text` (recorded at `recordedT`) as it goes out now: live ids, times moved to now. */
  private prepare(text: string, recordedT: number, freshId?: string): string {
    const r = parseFrame(text);
    if (!r.ok) return text;
    let f = r.frame;
    if (f.type === 2 || f.type === 3 || f.type === 6) {
      let payload: JsonObject = substituteIds(f.payload, this.ids);
      if (this.options.shiftTimestamps) payload = shiftTimestamps(payload, this.now() - recordedT);
      f = { ...f, payload };
    }
    const id = freshId ?? f.id;
    switch (f.type) {
      case 2:
        return stringifyJson([2, id, f.action, f.payload]);
      case 6:
        return stringifyJson([6, id, f.action, f.payload]);
      case 3:
        return buildCallResult(id, f.payload);
      default:
        return buildCallError(id, f.errorCode, f.errorDescription, f.errorDetails);
    }
  }

  private async run(): Promise<void> {
    const timeout = this.options.timeoutMs ?? 30_000;
    let prevRecT = this.plan.t0;
    let prevLive = this.now();
    for (const step of this.plan.outgoing) {
      if (this.closed) break;
      // Keep the recorded order: the peer's CALLs recorded before this step come first.
      const deadline = this.now() + timeout;
      while (!this.closed && step.after.some((i) => !this.received.has(i)) && this.now() < deadline) {
        await this.untilReceived(deadline - this.now());
      }
      if (this.options.speed > 0) {
        const wait = (step.rec.t - prevRecT) / this.options.speed - (this.now() - prevLive);
        await this.sleep(wait);
      }
      await this.waitGate();
      if (this.closed) break;
      prevRecT = step.rec.t;
      this.position = step.index + 1;
      if (step.kind !== 'call') {
        const text =
          step.kind === 'raw' ? step.rec.text : this.prepare(step.rec.text, step.rec.t, newMessageId());
        // The pace is kept between the moments frames are handed to the link, after the work of preparing them.
        prevLive = this.now();
        this.link.send(text);
        this.add({ index: step.index, action: step.action, outcome: 'matched', diffs: [] });
        continue;
      }
      const id = newMessageId();
      const answered = new Promise<Frame | undefined>((resolve) => (this.answerWaiter = { id, resolve }));
      this.liveToRecorded.set(id, step);
      const text = this.prepare(step.rec.text, step.rec.t, id);
      prevLive = this.now();
      this.link.send(text);
      let timer: NodeJS.Timeout | undefined;
      const live = await Promise.race([
        answered,
        new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), timeout))),
      ]);
      clearTimeout(timer);
      this.answerWaiter = undefined;
      const recorded = step.answer ? parseFrame(step.answer.text) : undefined;
      if (!live && !step.answer && !this.closed) {
        // The recording has no answer either (it timed out then too): the peer behaves as recorded.
        this.add({ index: step.index, action: step.action, messageId: id, outcome: 'matched', diffs: [] });
        continue;
      }
      if (!live) {
        this.add({
          index: step.index,
          action: step.action,
          messageId: id,
          outcome: this.closed ? 'missing' : 'timed-out',
          diffs: [],
        });
        continue;
      }
      if (!recorded?.ok) {
        // The recording had no answer (it timed out then): any live answer is news.
        this.add({ index: step.index, action: step.action, messageId: id, outcome: 'unexpected', diffs: [] });
        continue;
      }
      if (recorded.frame.type === 3 && live.type === 3)
        learnIds(recorded.frame.payload, live.payload, this.ids);
      const diffs = diffFrames(recorded.frame, live, this.ignore);
      this.add({
        index: step.index,
        action: step.action,
        messageId: id,
        outcome: diffs.length ? 'differed' : 'matched',
        diffs,
      });
    }
    // Give the peer a moment for CALLs it sent late in the recording.
    const tailDeadline = this.now() + (this.options.tailWaitMs ?? Math.min(timeout, 3000));
    while (!this.closed && this.incomingLeft.length > 0 && this.now() < tailDeadline) {
      await this.untilReceived(tailDeadline - this.now());
    }
    for (const step of this.incomingLeft.splice(0)) {
      this.add({ index: step.index, action: step.action, outcome: 'missing', diffs: [] });
    }
    // Stopped early or the peer went away: what we never sent is missing too, so the report accounts for everything.
    const reported = new Set(this.report.map((i) => i.index));
    for (const step of this.plan.outgoing) {
      if (!reported.has(step.index))
        this.add({ index: step.index, action: step.action, outcome: 'missing', diffs: [] });
    }
  }

  private onLive(text: string): void {
    const r = parseFrame(text, this.link.version);
    if (!r.ok) {
      this.add({
        index: this.plan.total + this.report.length,
        action: '(unparsed)',
        outcome: 'unexpected',
        diffs: [{ path: '/', live: text.slice(0, 200) }],
      });
      return;
    }
    const f = r.frame;
    if (f.type === 3 || f.type === 4) {
      if (this.answerWaiter?.id === f.id) {
        const w = this.answerWaiter;
        this.answerWaiter = undefined;
        w.resolve(f);
      }
      return;
    }
    if (f.type !== 2 && f.type !== 6) return;
    const at = this.incomingLeft.findIndex((s) => s.action === f.action);
    if (at < 0) {
      this.add({
        index: this.plan.total + this.report.length,
        action: f.action,
        messageId: f.id,
        outcome: 'unexpected',
        diffs: [],
      });
      if (f.type === 2) {
        const fallback = this.options.fallbackAnswer?.(f.id, f.action);
        if (fallback !== undefined && this.link.open) this.link.send(fallback);
      }
      return;
    }
    const step = this.incomingLeft.splice(at, 1)[0]!;
    this.received.add(step.index);
    for (const w of [...this.recvWaiters]) w();
    const recorded = parseFrame(step.rec.text);
    if (recorded.ok && recorded.frame.type === 2) learnIds(recorded.frame.payload, f.payload, this.ids);
    const diffs = recorded.ok ? diffFrames(recorded.frame, f, this.ignore) : [];
    this.add({
      index: step.index,
      action: step.action,
      messageId: f.id,
      outcome: diffs.length ? 'differed' : 'matched',
      diffs,
    });
    if (f.type !== 2 || !this.link.open) return;
    if (step.answer) this.link.send(this.prepare(step.answer.text, step.answer.t, f.id));
    else {
      const fallback = this.options.fallbackAnswer?.(f.id, f.action);
      if (fallback !== undefined) this.link.send(fallback);
    }
  }
}
