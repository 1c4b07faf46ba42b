import type { CheckSettings } from '../../../shared/api';
import { OCPP_VERSIONS } from '../../../shared/ocpp/versions';
import { parseScenario } from '../../../shared/scenario/parse-scenario';
import type { CheckStatus, PendingPrompt, Scenario } from '../../../shared/scenario/scenario-types';
import { builtInSuite } from '../../../shared/scenario/suites';
import { summaryLine } from '../../../shared/scenario/verdict';
import { AutoAnswerBook } from '../station/auto-answer';
import { fallbackFrom } from '../replay/engine-links';
import type { ConnectionHub } from '../connections/connection-hub';
import type { EventStream } from '../connections/event-stream';
import { ChargerPeer, CsmsPeer } from './check-peer';
import type { CheckPeer } from './check-peer';
import type { PromptAnswer } from './check-run';
import { CheckRun } from './check-run';

/**
 * The checks part of EngineApi (startCheck, answerCheckPrompt, stopCheck, getCheck) for the facade. One run at a
 * time. A charger suite runs on a charger connected to the engine's endpoint: while it runs, the endpoint's answer
 * book holds every CALL (the run answers them) and is restored afterwards, as for a CSMS-side replay. A CSMS suite
 * connects out through `stationHub`, whose book holds every CALL.
 */
export interface CheckControllerDeps {
  stream: EventStream;
  hub: ConnectionHub;
  stationHub: ConnectionHub;
  onStatus: (status: CheckStatus) => void;
  tool: string;
}

export class CheckController {
  private run: CheckRun | undefined;
  private last: CheckStatus = { state: 'idle', cases: [] };
  private prompt: { prompt: PendingPrompt; answer: (a: PromptAnswer) => void } | undefined;

  constructor(private readonly deps: CheckControllerDeps) {}

  get(): CheckStatus {
    return structuredClone(this.last);
  }

  private publish(status: CheckStatus): CheckStatus {
    this.last = status;
    this.deps.onStatus(structuredClone(status));
    return this.get();
  }

  private fail(error: string): CheckStatus {
    return this.publish({ state: 'failed', cases: [], error });
  }

  private scenario(settings: CheckSettings): Scenario | string {
    if ((settings.suite === undefined) === (settings.scenario === undefined))
      return 'Choose a built-in suite or a scenario file.';
    if (settings.suite !== undefined)
      return builtInSuite(settings.suite) ?? `There is no built-in suite "${settings.suite}".`;
    const parsed = parseScenario(settings.scenario!);
    if (parsed.ok) return parsed.scenario;
    const shown = parsed.problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`);
    return `The scenario is not valid: ${shown.join('; ')}${parsed.problems.length > 5 ? ` (and ${parsed.problems.length - 5} more)` : ''}.`;
  }

  async start(settings: CheckSettings): Promise<CheckStatus> {
    if (this.last.state === 'running' || this.last.state === 'connecting')
      return this.fail('A check is already running; stop it or wait for it to finish.');
    const scenario = this.scenario(settings);
    if (typeof scenario === 'string') return this.fail(scenario);
    const version = settings.protocol ?? scenario.version;
    let peer: CheckPeer;
    let restore: (() => void) | undefined;
    if (scenario.role === 'csms') {
      const conn = this.deps.hub.get(settings.target);
      if (!conn || !conn.isOpen || conn.role !== 'endpoint')
        return this.fail(`${scenario.name} tests a charger: choose a charger connected to the endpoint.`);
      const book = this.deps.hub.answers;
      const saved = book.listPolicies();
      book.setPolicies(OCPP_VERSIONS.map((v) => ({ version: v, action: '*', mode: 'hold' as const })));
      restore = () => book.setPolicies(saved);
      peer = new ChargerPeer(this.deps.hub, conn);
    } else {
      if (!/^wss?:\/\/[^/]/i.test(settings.target))
        return this.fail(
          `${scenario.name} tests a CSMS: give its ws:// or wss:// URL, ending with the charger identity.`,
        );
      const csms = new CsmsPeer(this.deps.stationHub, {
        url: settings.target,
        protocols: [version],
        ...(settings.basicAuth ? { basicAuth: settings.basicAuth } : {}),
      });
      this.publish({ state: 'connecting', suite: scenario.name, peer: settings.target, cases: [] });
      const c = await csms.connect();
      if (typeof c === 'string') return this.fail(c);
      peer = csms;
    }
    // The user's own auto-answer policies answer what the scenario does not.
    const fallbackBook = new AutoAnswerBook();
    fallbackBook.setPolicies(restore ? [] : this.deps.hub.answers.listPolicies());
    const run = new CheckRun(scenario, peer, {
      ...(settings.cases ? { cases: settings.cases } : {}),
      noPrompt: settings.noPrompt === true,
      prompt: (prompt, signal) =>
        new Promise<PromptAnswer>((resolve) => {
          const finish = (a: PromptAnswer): void => {
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            if (this.prompt?.prompt.id === prompt.id) this.prompt = undefined;
            resolve(a);
          };
          const onAbort = (): void => finish('timeout');
          const timer = setTimeout(() => finish('timeout'), Math.max(0, prompt.deadline - Date.now()));
          signal.addEventListener('abort', onAbort, { once: true });
          this.prompt = { prompt, answer: finish };
        }),
      fallbackAnswer: (v, id, action) => fallbackFrom(fallbackBook, v)(id, action),
      ...(settings.timeoutSec !== undefined ? { defaultTimeoutSec: settings.timeoutSec } : {}),
      ...(settings.vars ? { vars: Object.fromEntries(settings.vars) } : {}),
      tool: this.deps.tool,
      onStatus: (s) => this.publish(s),
    });
    this.run = run;
    void run.run().then(
      async (report) => {
        restore?.();
        if (peer.role === 'station') await peer.dispose();
        const conn = peer.current()?.id;
        if (conn !== undefined)
          this.deps.stream.emit({
            kind: 'note',
            conn,
            source: 'engine',
            text: `Check ${report.suite} finished: ${summaryLine(report)}.`,
          });
      },
      (e: unknown) => {
        restore?.();
        this.fail(`The check stopped: ${(e as Error).message}`);
      },
    );
    return run.getStatus();
  }

  answerPrompt(promptId: string, answer: 'done' | 'skip'): CheckStatus {
    if (this.prompt?.prompt.id === promptId) this.prompt.answer(answer);
    return this.get();
  }

  stop(): CheckStatus {
    this.run?.stop();
    return this.get();
  }
}
