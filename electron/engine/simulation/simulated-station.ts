import { randomUUID } from 'node:crypto';
import type { SimulatorSettings, StationSettings } from '../../../shared/api';
import { buildCallError, buildCallResult, buildSend } from '../../../shared/ocpp/frame';
import type { Finding } from '../../../shared/ocpp/finding';
import type { JsonObject } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import type { CallBehaviour, CallOutcome, Connection, OutcomeTaker } from '../connections/connection';
import { NotOpenError } from '../connections/connection';
import type { ChargerCore, ModelHost, SimCall, TransferJob, UserAction } from './charger-core';
import { createModel } from './create-model';
import { sharedSettings } from './charger-types';
import { signatureProblem } from './firmware-signature';
import type { FileTransferClient } from './file-transfer';
import { HttpFileTransferClient } from './file-transfer';
import { CertificateTrustError } from './transfer-trust';
import type { Wakeable } from './wake-scheduler';
import { WakeScheduler } from './wake-scheduler';

/** What the station offers a simulator to drive its socket. */
export interface StationControl {
  /** Closes the socket and stays away until online(). */
  offline(): Promise<void>;
  online(): void;
  /** Closes the socket and reconnects after `delaySec` (a reboot). */
  /** `url`: connect there from now on (a network profile that takes effect with the reboot). */
  restart(delaySec: number, url?: string): void;
  /** A function, not a getter: a getter turns this object (one per simulated charger) into a slow dictionary. */
  isOfflineOnPurpose(): boolean;
}

export interface SimulationDeps {
  scheduler?: WakeScheduler;
  files?: FileTransferClient;
}

let processScheduler: WakeScheduler | undefined;
let processFiles: FileTransferClient | undefined;
let lastDeps: StationDeps | undefined;

/** What a simulated station uses beside its connection. */
interface StationDeps {
  readonly scheduler: WakeScheduler;
  readonly files: FileTransferClient;
  readonly callTimeoutSec: number;
}

/** The simulator driving `connection`, if it is a simulated charger (its behaviour: no WeakMap entry per charger). */
export function simulatedOf(connection: Connection): SimulatedStation | undefined {
  const b = connection.behaviour;
  return b instanceof SimulatedStation ? b : undefined;
}

export function attachSimulator(
  connection: Connection,
  settings: StationSettings,
  control: StationControl,
  deps: SimulationDeps = {},
): SimulatedStation {
  const scheduler = deps.scheduler ?? (processScheduler ??= new WakeScheduler());
  const files = deps.files ?? (processFiles ??= new HttpFileTransferClient());
  const callTimeoutSec = settings.callTimeoutSec ?? 30;
  // The stations of a fleet have the same; one object for them all (it is read-only).
  const last = lastDeps;
  const bound =
    last?.scheduler === scheduler && last.files === files && last.callTimeoutSec === callTimeoutSec
      ? last
      : (lastDeps = Object.freeze({ scheduler, files, callTimeoutSec }));
  return new SimulatedStation(connection, settings.simulator!, control, bound);
}

/**
 * Binds a charger model to a live Connection: feeds it the socket's opening and closing, the CSMS's calls (as the
 * connection's behaviour, so hold/payload/callerror policies still win) and the answers to its own calls; sends
 * what it queues, one call at a time; wakes it through the shared scheduler; runs its file transfers and reboots.
 * The model is made when the first connection tells which OCPP version was agreed, and survives reconnects.
 */
export class SimulatedStation implements Wakeable, ModelHost, CallBehaviour, OutcomeTaker<SimCall> {
  model: ChargerCore | undefined;
  private pumping = false;
  private again = false;
  /**
   * With their defaults, shared with the stations whose settings are alike (read-only); the seed is kept apart, so
   * that a fleet's per-station settings objects (alike but for the seed) are not each kept for the charger's life.
   */
  readonly settings: Readonly<SimulatorSettings>;
  private readonly seed: number | undefined;

  constructor(
    readonly connection: Connection,
    settings: SimulatorSettings,
    private readonly control: StationControl,
    private readonly deps: StationDeps,
  ) {
    this.settings = sharedSettings(settings);
    this.seed = settings.seed;
    // It hears of the connection's state changes as its behaviour (stateChanged), not as a second 'state' listener.
    connection.behaviour = this;
  }

  /** @internal The connection's state changed (CallBehaviour.stateChanged). */
  stateChanged(): void {
    const c = this.connection;
    const now = Date.now();
    if (c.state === 'open' && c.version) {
      if (!this.model || this.model.version !== c.version)
        this.model = createModel(
          c.version,
          this.seed === undefined ? this.settings : { ...this.settings, seed: this.seed },
          this,
          now,
        );
      this.model.connected(now);
    } else if ((c.state === 'closed' || c.state === 'failed') && this.model?.online) {
      this.model.disconnected(now);
    }
    if (c.userClosed) this.deps.scheduler.cancel(this);
  }

  // ---- ModelHost ---------------------------------------------------------------------------------------------------

  get identity(): string {
    return this.connection.identity;
  }

  changed(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    const model = this.model;
    if (!model) return;
    this.pumping = true;
    try {
      do {
        this.again = false;
        const call = model.takeCall(Date.now());
        if (call) this.send(model, call);
      } while (this.again);
    } finally {
      this.pumping = false;
    }
    if (this.connection.userClosed) this.deps.scheduler.cancel(this);
    else this.deps.scheduler.schedule(this, model.nextWake());
  }

  reboot(delaySec: number, url?: string): void {
    this.control.restart(delaySec, url);
  }

  transfer(job: TransferJob): void {
    const files = this.deps.files;
    const run =
      job.kind === 'upload'
        ? files.upload(job.url, job.name, job.bytes).then(() => undefined)
        : files.download(job.url);
    void run.then(
      (bytes) => {
        if (job.kind === 'download' && job.signed && bytes) {
          const why = signatureProblem(bytes, job.signed);
          if (why) return job.done({ ok: false, why, failure: 'signature' });
        }
        job.done({ ok: true });
      },
      (e: unknown) =>
        job.done({
          ok: false,
          why: e instanceof Error ? e.message : String(e),
          failure: e instanceof CertificateTrustError ? 'certificate' : 'transfer',
        }),
    );
  }

  note(text: string): void {
    this.connection.emitNote(text);
  }

  // ---- sending -----------------------------------------------------------------------------------------------------

  private send(model: ChargerCore, call: SimCall): void {
    try {
      if (call.unconfirmed) {
        this.connection.send(buildSend(randomUUID(), call.action, call.build()));
        model.callDone(call, {}, Date.now());
        return;
      }
      // Our model's own call: valid by construction, so recorded without being validated again; its outcome comes
      // back to callOutcome with the call (no closure per call: a fleet sends one per charger every heartbeat).
      this.connection.sendOwnCall(call.action, call.build(), this.deps.callTimeoutSec, this, call);
    } catch (error) {
      if (error instanceof NotOpenError) model.callLost(call);
      else model.callFailed(call, Date.now());
    }
  }

  /**
   * @internal Runs as the answer is handled: a CALL behind it in the same read already sees its effect (a boot
   * accepted). The model is the one that sent the call: it changes only when a connection opens, after every call
   * of the one before was settled as lost.
   */
  callOutcome(o: CallOutcome, call: SimCall): void {
    const model = this.model;
    if (!model) return;
    try {
      const now = Date.now();
      if (o.closed) {
        model.callLost(call);
        this.changed();
        return;
      }
      if (o.response?.msg?.type === 3) {
        model.callDone(call, o.payload ?? payloadOf(o.response.text), now);
        return;
      }
      model.callFailed(call, now);
    } catch (error) {
      // An answer the model did not foresee (a CSMS's odd payload) is noted; the station carries on.
      this.internal(call.action, error);
      this.changed();
    }
  }

  // ---- Wakeable ---------------------------------------------------------------------------------------------------

  wake(now: number): void {
    if (!this.model) return;
    try {
      this.model.wake(now);
    } catch (error) {
      this.internal('a timed step', error);
      this.changed();
    }
  }

  // ---- CallBehaviour ----------------------------------------------------------------------------------------------

  answer(
    messageId: string,
    action: string,
    payload: JsonObject,
    problem?: Finding,
    bytes?: number,
  ): { text: string; after?: () => void } | undefined {
    const model = this.model;
    if (!model) return undefined;
    // A real charger refuses a call its schema forbids, with the code the violation calls for; it acts on nothing.
    if (problem?.errorCode !== undefined)
      return { text: buildCallError(messageId, problem.errorCode, callErrorDescription(problem)) };
    let a: ReturnType<ChargerCore['answer']>;
    try {
      a = model.answer(action, payload, Date.now(), bytes);
    } catch (error) {
      // A payload the model did not foresee must cost an error answer, never the process.
      this.internal(action, error);
      return { text: buildCallError(messageId, 'InternalError', `The simulator failed on ${action}.`) };
    }
    if (!a) return undefined;
    if ('error' in a) return { text: buildCallError(messageId, a.error, a.description) };
    const after = a.after;
    return {
      text: buildCallResult(messageId, a.payload),
      after: () => {
        try {
          after?.(Date.now());
        } catch (error) {
          this.internal(action, error);
        }
        this.changed();
      },
    };
  }

  private internal(what: string, error: unknown): void {
    this.note(`Simulator error in ${what}: ${error instanceof Error ? error.message : String(error)}`);
  }

  // ---- the person at the site --------------------------------------------------------------------------------------

  /** Plug in, present a card, start, stop, unplug, fault, clear fault, reboot; or go offline / online. */
  async act(action: UserAction | { kind: 'offline' } | { kind: 'online' }): Promise<string | undefined> {
    if (action.kind === 'offline') {
      await this.control.offline();
      return undefined;
    }
    if (action.kind === 'online') {
      this.control.online();
      return undefined;
    }
    if (!this.model) return 'The station has not connected yet.';
    let problem: string | undefined;
    try {
      problem = this.model.user(action, Date.now());
    } catch (error) {
      this.internal(action.kind, error);
      problem = `The simulator failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.changed();
    return problem;
  }

  get offlineOnPurpose(): boolean {
    return this.control.isOfflineOnPurpose();
  }
}

/** The finding as an error description: its path and sentence, within the 255 characters 2.x allows. */
function callErrorDescription(f: Finding): string {
  const text = f.path && !f.message.includes(f.path) ? `${f.path}: ${f.message}` : f.message;
  return text.length > 255 ? `${text.slice(0, 254)}…` : text;
}

function payloadOf(text: string): JsonObject {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) && isJsonObject(v[2]) ? v[2] : {};
  } catch {
    return {};
  }
}
