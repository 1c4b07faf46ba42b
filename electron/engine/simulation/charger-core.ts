import type { JsonObject } from '../../../shared/ocpp/json';
import { CertificateManagement } from './certificate-management';
import { ChargerFileRequests } from './charger-file-requests';
import { revokedIn } from './certificate-store';
import type { Answer, Connector, SimCall, UserAction } from './charger-types';

// The vocabulary lives in charger-types.ts; it is re-exported for the files that import it from here.
export type {
  Answer,
  BootState,
  Connector,
  ModelHost,
  SimCall,
  StationIdentity,
  StopReason,
  Transaction,
  TransferJob,
  TransferResult,
  UserAction,
} from './charger-types';
export { settingsWithDefaults } from './charger-types';

/**
 * What both charger models (1.6 and 2.x) share, built as a stack of layers, one job each:
 *   charger-boot.ts           shared state, the boot and heartbeat cycle, reboots
 *   charger-link.ts           connect/disconnect, the one-call-in-flight send queue with its offline rules, wake-ups
 *   charger-authorization.ts  Authorize, the cache and the local list
 *   charger-sessions.ts       connector physics and statuses, transactions and their meter samples
 *   charger-file-requests.ts  GetLog uploads and firmware updates with their status notifications
 *   charger-core.ts (here)    certificates, what a person at the site does, and answers both versions give alike
 * Pure: time comes in as `now` (epoch ms); frames go out through takeCall(); I/O the model cannot do itself
 * (closing the socket, file transfers) is asked of its host. Version specifics (payload shapes, statuses, the
 * answers to CSMS calls) live in model-16.ts and model-2x.ts.
 */
export abstract class ChargerCore extends ChargerFileRequests {
  private certs: CertificateManagement | undefined;

  /** Certificate management, made when first needed (most stations never see a certificate). */
  protected get certificates(): CertificateManagement {
    return (this.certs ??= new CertificateManagement(this.version, {
      enqueue: (c) => this.enqueue(c),
      host: this.host,
      subject: () => `CN=${dnValue(this.host.identity)}, O=${dnValue(this.organization())}`,
      revoked: (pem) => revokedIn(pem, this.settings.revokedCertificates),
    }));
  }

  /** What the station's display shows now (2.x display messages); undefined: nothing set by the CSMS. */
  displayText(now: number): string | undefined {
    void now;
    return undefined;
  }

  /** The station certificate the CSMS installed (SignCertificate → CertificateSigned), for its TLS client side. */
  clientCertificate(): Promise<{ cert: string; key: string } | undefined> {
    return this.certs?.store.clientCertificate() ?? Promise.resolve(undefined);
  }

  /** The organization of the station's certificate (1.6 CpoName, 2.x SecurityCtrlr.OrganizationName). */
  protected abstract organization(): string;

  /** The answer to a CSMS call, by the version's rules; `bytes`: its frame's length as received, when known. */
  abstract answer(action: string, payload: JsonObject, now: number, bytes?: number): Answer;

  /** What a person at the site does (the station card's buttons); a message when it cannot be done. */
  user(action: UserAction, now: number): string | undefined {
    if (action.kind === 'reboot') {
      this.requestReset('local', now);
      return undefined;
    }
    if (action.kind === 'evCertificate' || action.kind === 'certificateStatus') {
      if (this.version === '1.6')
        return `OCPP 1.6 has no ${action.kind === 'evCertificate' ? 'Get15118EVCertificate' : 'GetCertificateStatus'}.`;
      if (action.kind === 'certificateStatus')
        return this.certificates.requestCertificateStatus(action.responderUrl);
      this.certificates.requestEvCertificate(action.action ?? 'Install');
      return undefined;
    }
    const c = this.connector(action.connector);
    if (!c) return `There is no connector ${action.connector}.`;
    switch (action.kind) {
      case 'plug':
        this.plug(c, now);
        break;
      case 'unplug':
        this.unplug(c, now);
        break;
      case 'card':
        this.presentCard(c, action.idTag, now);
        break;
      case 'start':
        if (!c.plugged) this.plug(c, now);
        if (!c.tx || !c.tx.authorized)
          this.presentCard(c, action.idTag ?? this.settings.idTag ?? 'SIMCARD01', now);
        break;
      case 'stop':
        if (!c.tx) return `No transaction runs on connector ${c.id}.`;
        this.endTransaction(c, 'Local', now);
        break;
      case 'fault':
        c.faulted = true;
        if (c.tx) this.endTransaction(c, 'Other', now);
        this.refresh(c, now);
        break;
      case 'clearFault':
        c.faulted = false;
        this.refresh(c, now);
        break;
    }
    this.host.changed();
    return undefined;
  }

  // ---- answers both versions give alike ----------------------------------------------------------------------

  /** A triggered message: queued behind the answer, and allowed while the boot is Pending. */
  protected sendTriggered(call: SimCall): void {
    this.enqueue({ ...call, early: 'pending' });
    this.host.changed();
  }

  /** TriggerMessage's Accepted, then the message `make` builds once the answer is out. */
  protected triggered(make: () => SimCall): Answer {
    return { payload: { status: 'Accepted' }, after: () => this.sendTriggered(make()) };
  }

  /** The connectors a request names by id: 0 for all of them; none for an id that is no connector. */
  protected targetsOf(id: number): Connector[] {
    if (id === 0) return this.connectors;
    const c = this.connector(id);
    return c ? [c] : [];
  }
}

/** A value for a distinguished name: its special characters escaped (RFC 4514), never empty. */
function dnValue(v: string): string {
  const escaped = v.replace(/([,+"\\<>;=])/g, '\\$1').trim();
  return escaped === '' ? 'OCPP Scope' : escaped;
}
