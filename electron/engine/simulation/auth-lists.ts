/**
 * The cards a station knows without asking its CSMS: the authorization cache (the statuses the CSMS gave lately,
 * kept when the configuration enables it) and the local authorization list (SendLocalList) with its version. A
 * station makes one only when it first needs it: most simulated chargers of a fleet never do.
 */
export class AuthLists {
  private cache: Map<string, string> | undefined;
  private list: Map<string, string> | undefined;
  /** The local list's version (0: never sent). */
  version = 0;

  get listSize(): number {
    return this.list?.size ?? 0;
  }

  /** The status the station knows for `idTag`: the local list first, then the cache when it is used. */
  known(idTag: string, useCache: boolean): string | undefined {
    return this.list?.get(idTag) ?? (useCache ? this.cache?.get(idTag) : undefined);
  }

  remember(idTag: string, status: string): void {
    (this.cache ??= new Map()).set(idTag, status);
  }

  clearCache(): void {
    this.cache = undefined;
  }

  /** SendLocalList: Full replaces, Differential updates; entries without a status are removed. */
  update(version: number, full: boolean, entries: { idTag: string; status?: string }[]): void {
    if (full || !this.list) this.list = new Map();
    for (const e of entries) {
      if (e.status) this.list.set(e.idTag, e.status);
      else this.list.delete(e.idTag);
    }
    this.version = version;
  }
}
