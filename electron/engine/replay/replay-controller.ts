import type { ReplaySettings, ReplayStatus } from '../../../shared/api';
import type { Finding, ScopeEvent } from '../../../shared/capture/events';
import { OCPP_VERSIONS } from '../../../shared/ocpp/versions';
import { AutoAnswerBook } from '../station/auto-answer';
import type { ConnectionHub } from '../connections/connection-hub';
import type { EventStream } from '../connections/event-stream';
import type { EventSource } from '../capture/event-source';
import { connectionLink, fallbackFrom, openStationLink } from './engine-links';
import type { ReplayLink } from './replay-link';
import { formatReport, ReplayRun } from './replay-engine';
import { buildPlan } from './replay-plan';

/**
 * The replay part of EngineApi (startReplay, pauseReplay, resumeReplay, stepReplay, getReplay) for the facade.
 * One replay at a time. Station side: connects to settings.target as the charger. CSMS side: plays against the
 * charger connected on the endpoint with id settings.target; while it runs, the endpoint's answer book holds every
 * CALL (the replay answers them) and is restored afterwards.
 */
export interface ReplayControllerDeps {
  stream: EventStream;
  source: (id: string) => EventSource;
  /** The engine's hub, for the CSMS side (the charger's connection and its answer book). */
  hub?: ConnectionHub;
  /** Where station-side replay connections live (a hub whose book holds every CALL), so they can be listed. */
  stationHub?: ConnectionHub;
  onStatus?: (status: ReplayStatus) => void;
  timeoutMs?: number;
}

export class ReplayController {
  private run: ReplayRun | undefined;
  private link: ReplayLink | undefined;
  private last: ReplayStatus = { state: 'idle', position: 0, total: 0, report: [] };

  constructor(private readonly deps: ReplayControllerDeps) {}

  get(): ReplayStatus {
    return this.run?.status() ?? this.last;
  }

  private publish(s: ReplayStatus): void {
    this.last = s;
    this.deps.onStatus?.(s);
  }

  private fail(message: string): ReplayStatus {
    this.publish({ state: 'failed', position: 0, total: 0, report: [], error: message });
    return this.last;
  }

  async start(settings: ReplaySettings): Promise<ReplayStatus> {
    const current = this.run?.status();
    if (current && (current.state === 'running' || current.state === 'paused')) {
      return this.fail('A replay is already running; wait for it to finish.');
    }
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
    const version = settings.protocol ?? plan.version;
    let restore: (() => void) | undefined;
    let link: ReplayLink;
    // Calls the recording cannot answer get the user's own auto-answer policies, not the hold-everything book.
    const fallbackBook = new AutoAnswerBook();
    fallbackBook.setPolicies(this.deps.hub?.answers.listPolicies() ?? []);
    try {
      if (settings.side === 'station') {
        ({ link } = await openStationLink(
          this.deps.stream,
          { url: settings.target, protocols: version ? [version] : [...OCPP_VERSIONS] },
          this.deps.stationHub,
        ));
      } else {
        const conn = this.deps.hub?.get(settings.target);
        if (!conn || !conn.isOpen) return this.fail(`No charger is connected as ${settings.target}.`);
        const book = this.deps.hub!.answers;
        const saved = book.listPolicies();
        book.setPolicies(OCPP_VERSIONS.map((v) => ({ version: v, action: '*', mode: 'hold' as const })));
        restore = () => book.setPolicies(saved);
        link = connectionLink(conn, this.deps.stream, false);
      }
    } catch (e) {
      return this.fail((e as Error).message);
    }
    this.link = link;
    const run = new ReplayRun(plan, link, {
      speed: settings.speed,
      shiftTimestamps: settings.shiftTimestamps,
      timeoutMs: this.deps.timeoutMs ?? 30_000,
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
      this.note(link.id ?? plan.conn, final);
    });
    return run.status();
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
    const summary = formatReport(status).pop() ?? '';
    this.deps.stream.emit({
      kind: 'note',
      conn,
      source: 'replay',
      text: `Replay finished: ${summary}`,
      findings,
    });
  }

  pause(): ReplayStatus {
    return this.run?.pause() ?? this.get();
  }
  resume(): ReplayStatus {
    return this.run?.resume() ?? this.get();
  }
  step(): ReplayStatus {
    return this.run?.step() ?? this.get();
  }

  async stop(): Promise<void> {
    this.run?.stop();
    await this.link?.close().catch(() => {});
  }
}
