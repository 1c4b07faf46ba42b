import type { ReplayLabel, ReplaySettings, ReplayStatus } from '../../../shared/api';
import type { Finding, ScopeEvent } from '../../../shared/capture/events';
import { DEFAULT_IGNORE_RULES, parseIgnoreRules } from '../../../shared/capture/ignore-rules';
import { summaryLine } from '../../../shared/capture/replay-report';
import { OCPP_VERSIONS } from '../../../shared/ocpp/versions';
import { AutoAnswerBook } from '../station/auto-answer';
import type { Connection } from '../connections/connection';
import type { ConnectionHub } from '../connections/connection-hub';
import type { EventStream } from '../connections/event-stream';
import type { EventSource } from '../capture/event-source';
import { connectionLink, fallbackFrom, openStationLink, waitForCharger } from './engine-links';
import type { ReplayLink } from './replay-link';
import { ReplayRun } from './replay-engine';
import type { ReplayPlan } from './replay-plan';
import { buildPlan } from './replay-plan';

/**
 * The replay part of EngineApi (startReplay, pauseReplay, resumeReplay, stepReplay, getReplay, stopReplay) for the
 * facade. One replay at a time. Station side: connects to settings.target as the charger. CSMS side: plays against
 * the charger connected on the endpoint with id settings.target, or (waitForCharger) against the next charger that
 * connects, waiting at most the timeout with a `waiting` status. While it waits and runs, the endpoint's answer
 * book holds every CALL (the replay answers them) and is restored afterwards. Every status carries its label (which
 * capture, against what, when), so the report stays readable wherever it is shown or exported.
 */
export interface ReplayControllerDeps {
  stream: EventStream;
  source: (id: string) => EventSource;
  /** The engine's hub, for the CSMS side (the charger's connection and its answer book). */
  hub?: ConnectionHub;
  /** Where station-side replay connections live (a hub whose book holds every CALL), so they can be listed. */
  stationHub?: ConnectionHub;
  /** The endpoint's URLs while it listens (a waiting CSMS-side replay needs it), else undefined. */
  endpointUrls?: () => string[] | undefined;
  onStatus?: (status: ReplayStatus) => void;
  timeoutMs?: number;
  now?: () => number;
}

const IDLE: ReplayStatus = { state: 'idle', position: 0, total: 0, report: [] };

export class ReplayController {
  private run: ReplayRun | undefined;
  private link: ReplayLink | undefined;
  private last: ReplayStatus = IDLE;
  private label: ReplayLabel | undefined;
  private waiting: AbortController | undefined;

  constructor(private readonly deps: ReplayControllerDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  get(): ReplayStatus {
    const s = this.run?.status() ?? this.last;
    return this.labelled(s);
  }

  private labelled(s: ReplayStatus): ReplayStatus {
    if (!this.label) return s;
    const final = s.state === 'done' || s.state === 'failed';
    if (final && this.label.finishedAt === undefined) this.label = { ...this.label, finishedAt: this.now() };
    return { ...s, label: this.label };
  }

  private publish(s: ReplayStatus): void {
    this.last = this.labelled(s);
    this.deps.onStatus?.(this.last);
  }

  private fail(message: string): ReplayStatus {
    this.run = undefined;
    this.publish({ state: 'failed', position: 0, total: 0, report: [], error: message });
    return this.last;
  }

  private busy(): boolean {
    const state = this.get().state;
    return state === 'waiting' || state === 'running' || state === 'paused';
  }

  async start(settings: ReplaySettings): Promise<ReplayStatus> {
    // Refused without touching the replay that runs (its status, its controls).
    if (this.busy())
      return {
        ...this.get(),
        state: 'failed',
        error: 'A replay is already running; wait for it to finish or stop it.',
      };
    this.run = undefined;
    this.label = undefined;
    const rules = parseIgnoreRules(settings.ignore ?? DEFAULT_IGNORE_RULES);
    if (!rules.ok) return this.fail(`Ignore rules: ${rules.error}`);
    let source: EventSource;
    try {
      source = this.deps.source(settings.sourceId);
    } catch (e) {
      return this.fail((e as Error).message);
    }
    await source.whenIndexed();
    const events: ScopeEvent[] = [];
    for await (const e of source.events()) {
      if (settings.connection === undefined || e.conn === settings.connection) events.push(e);
    }
    const plan = buildPlan(events, settings.side, settings.connection);
    if ('error' in plan) return this.fail(plan.error);
    const timeoutMs =
      settings.timeoutSec !== undefined ? settings.timeoutSec * 1000 : (this.deps.timeoutMs ?? 30_000);
    const label = (target: string): ReplayLabel => ({
      kind: 'replay',
      capture: settings.label ?? source.name,
      connection: plan.identity ? `${plan.identity} (${plan.conn})` : plan.conn,
      target,
      side: settings.side,
      startedAt: this.now(),
      ignore: [...rules.rules.source],
      speed: settings.speed,
      shiftTimestamps: settings.shiftTimestamps,
    });
    const version = settings.protocol ?? plan.version;
    // Calls the recording cannot answer get the user's own auto-answer policies, not the hold-everything book.
    const fallbackBook = new AutoAnswerBook();
    fallbackBook.setPolicies(this.deps.hub?.answers.listPolicies() ?? []);
    const go = (link: ReplayLink, restore?: () => void): ReplayStatus => {
      this.link = link;
      const run = new ReplayRun(plan, link, {
        speed: settings.speed,
        shiftTimestamps: settings.shiftTimestamps,
        timeoutMs,
        // Playing the CSMS, the charger drives the exchange: its last CALLs get the whole timeout to arrive.
        ...(settings.side === 'csms' ? { tailWaitMs: timeoutMs } : {}),
        ignore: rules.rules,
        fallbackAnswer: fallbackFrom(
          fallbackBook,
          version ?? link.version,
          settings.side === 'station' ? 'station' : 'endpoint',
        ),
        onStatus: (s) => this.publish(s),
      });
      this.run = run;
      void run.start().then(async (final) => {
        restore?.();
        await link.close().catch(() => {});
        this.note(link.id ?? plan.conn, this.labelled(final));
      });
      return this.get();
    };
    if (settings.side === 'station') {
      try {
        const { link } = await openStationLink(
          this.deps.stream,
          { url: settings.target, protocols: version ? [version] : [...OCPP_VERSIONS] },
          this.deps.stationHub,
        );
        this.label = label(settings.target);
        return go(link);
      } catch (e) {
        return this.fail((e as Error).message);
      }
    }
    const hub = this.deps.hub;
    if (!hub) return this.fail('This build has no endpoint for a CSMS-side replay.');
    if (settings.waitForCharger) return this.waitThenGo(plan, hub, timeoutMs, label, go);
    const conn = hub.get(settings.target);
    if (!conn || !conn.isOpen) return this.fail(`No charger is connected as ${settings.target}.`);
    const restore = this.holdEverything(hub);
    this.label = label(chargerName(conn));
    return go(connectionLink(conn, this.deps.stream, false), restore);
  }

  /** The endpoint's book holds every CALL until `restore` (the replay answers them); returns `restore`. */
  private holdEverything(hub: ConnectionHub): () => void {
    const saved = hub.answers.listPolicies();
    hub.answers.setPolicies(OCPP_VERSIONS.map((v) => ({ version: v, action: '*', mode: 'hold' as const })));
    return () => hub.answers.setPolicies(saved);
  }

  /** Publishes `waiting` at once and plays against the next charger that connects (or fails at the timeout). */
  private waitThenGo(
    plan: ReplayPlan,
    hub: ConnectionHub,
    timeoutMs: number,
    label: (target: string) => ReplayLabel,
    go: (link: ReplayLink, restore: () => void) => ReplayStatus,
  ): ReplayStatus {
    const urls = this.deps.endpointUrls?.();
    if (!urls) return this.fail('Start the endpoint first: the charger to replay against connects to it.');
    const restore = this.holdEverything(hub);
    const abort = new AbortController();
    this.waiting = abort;
    const since = this.now();
    this.label = label('the next charger that connects');
    this.publish({
      state: 'waiting',
      position: 0,
      total: plan.total,
      report: [],
      waiting: { since, until: since + timeoutMs, urls },
    });
    waitForCharger(this.deps.stream, hub, timeoutMs, abort.signal).then(
      (conn: Connection) => {
        this.waiting = undefined;
        if (this.label) this.label = { ...this.label, target: chargerName(conn), startedAt: this.now() };
        go(connectionLink(conn, this.deps.stream, false), restore);
      },
      (e: unknown) => {
        this.waiting = undefined;
        restore();
        this.fail((e as Error).message);
      },
    );
    return this.last;
  }

  private note(conn: string, status: ReplayStatus): void {
    const findings: Finding[] = status.report
      .filter((i) => i.outcome !== 'matched')
      .slice(0, 50)
      .map((i) => ({
        code: `replay-${i.outcome}`,
        severity: i.outcome === 'unexpected' ? 'info' : 'warning',
        message: `${i.action}: ${i.outcome}${i.diffs.length ? ` (${i.diffs.map((d) => d.path).join(', ')})` : ''}`,
      }));
    this.deps.stream.emit({
      kind: 'note',
      conn,
      source: 'replay',
      text: `Replay finished: ${summaryLine(status)}`,
      findings,
    });
  }

  pause(): ReplayStatus {
    return this.labelled(this.run?.pause() ?? this.get());
  }
  resume(): ReplayStatus {
    return this.labelled(this.run?.resume() ?? this.get());
  }
  step(): ReplayStatus {
    return this.labelled(this.run?.step() ?? this.get());
  }

  /** Stops waiting or running: what was not done is reported missing. */
  async stop(): Promise<ReplayStatus> {
    this.waiting?.abort();
    this.run?.stop();
    await this.link?.close().catch(() => {});
    return this.get();
  }
}

function chargerName(conn: Connection): string {
  return conn.identity ? `${conn.identity} (${conn.id})` : conn.id;
}
