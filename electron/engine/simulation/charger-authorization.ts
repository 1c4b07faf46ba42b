import type { JsonObject } from '../../../shared/ocpp/json';
import { AuthLists } from './auth-lists';
import { ChargerLink } from './charger-link';
import type { Answer, SimCall } from './charger-types';

/**
 * The charger model's authorization (see charger-core.ts for the whole stack): Authorize or the cache and local list
 * per configuration, online and offline, and SendLocalList.
 */
/** How a station authorizes, read from its configuration (1.6 keys or 2.x device model). */
export interface AuthFlags {
  cache: boolean;
  preAuthorize: boolean;
  offline: boolean;
  unknownOffline: boolean;
}

export abstract class ChargerAuthorization extends ChargerLink {
  private auth: AuthLists | undefined;

  /** Authorize's payload for a card (1.6 idTag, 2.x idToken). */
  protected abstract authorizeRequest(idTag: string): JsonObject;
  /** The status of an idTag / idToken in an answer (Authorize, StartTransaction, TransactionEvent). */
  protected abstract idStatusOf(response: JsonObject): string | undefined;

  protected abstract authFlags(): AuthFlags;

  protected authorize(idTag: string, now: number, then: (accepted: boolean, now: number) => void): void {
    const f = this.authFlags();
    const known = this.auth?.known(idTag, f.cache);
    if (known === 'Accepted' && (f.preAuthorize || (!this.online && f.offline))) return then(true, now);
    if (!this.online || this.boot !== 'accepted')
      return then(!this.online && (f.unknownOffline || known === 'Accepted'), now);
    this.enqueue(this.authorizeCall(idTag, then));
    this.host.changed();
  }

  protected authorizeCall(idTag: string, then: (accepted: boolean, now: number) => void): SimCall {
    return {
      action: 'Authorize',
      build: () => this.authorizeRequest(idTag),
      transactional: false,
      attempts: 0,
      onResult: (r, now) => {
        const status = this.idStatusOf(r) ?? 'Invalid';
        this.remember(idTag, status);
        then(status === 'Accepted', now);
      },
      onFail: (now) => then(false, now),
    };
  }

  /** A remote start's card is authorized when the configuration asks for it (else taken as accepted), then `go`. */
  protected authorizeRemote(
    needed: boolean,
    idTag: string,
    now: number,
    go: (ok: boolean, now: number) => void,
  ): void {
    if (needed) this.authorize(idTag, now, go);
    else go(true, now);
  }

  protected remember(idTag: string, status: string): void {
    if (this.authFlags().cache) (this.auth ??= new AuthLists()).remember(idTag, status);
  }

  clearCache(): boolean {
    if (!this.authFlags().cache) return false;
    this.auth?.clearCache();
    return true;
  }

  /** SendLocalList: Full replaces, Differential updates; entries without a status are removed. */
  updateLocalList(version: number, full: boolean, entries: { idTag: string; status?: string }[]): void {
    (this.auth ??= new AuthLists()).update(version, full, entries);
  }

  get localListVersion(): number {
    return this.auth?.version ?? 0;
  }

  get localListSize(): number {
    return this.auth?.listSize ?? 0;
  }

  /** SendLocalList: a differential update must bring a newer version; Full replaces whatever was there. */
  protected sendLocalList(
    version: number,
    full: boolean,
    entries: { idTag: string; status?: string }[],
  ): Answer {
    if (!full && version <= this.localListVersion) return { payload: { status: 'VersionMismatch' } };
    this.updateLocalList(version, full, entries);
    return { payload: { status: 'Accepted' } };
  }
}
