import type { JsonObject } from '../../../shared/ocpp/json';
import { isJsonObject } from '../../../shared/ocpp/json';
import { num, str } from './payload-read';

/** Configuration slots a station offers (NetworkConfigurationPriority lists some of them). */
const SLOTS = 8;

interface NetworkProfile {
  csmsUrl: string;
  securityProfile: number;
}

/**
 * 2.x network connection profiles (SetNetworkProfile): one per configuration slot, slot 0 being the URL the station
 * was started with. A profile takes effect when the station reboots with its slot first in
 * OCPPCommCtrlr.NetworkConfigurationPriority (a RebootRequired variable).
 */
export class NetworkProfiles {
  private readonly slots = new Map<number, NetworkProfile>();

  /** SetNetworkProfile: Rejected for a slot out of range, the slot in use, SOAP, or a lower security profile. */
  set(p: JsonObject, inUse: number, currentSecurityProfile: number): 'Accepted' | 'Rejected' {
    const slot = num(p['configurationSlot']);
    const data = isJsonObject(p['connectionData']) ? p['connectionData'] : undefined;
    if (!data || !Number.isInteger(slot) || slot < 1 || slot >= SLOTS || slot === inUse) return 'Rejected';
    const securityProfile = num(data['securityProfile']);
    if (data['ocppTransport'] !== 'JSON' || securityProfile < currentSecurityProfile) return 'Rejected';
    let url: URL;
    try {
      url = new URL(str(data['ocppCsmsUrl']));
    } catch {
      return 'Rejected';
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return 'Rejected';
    this.slots.set(slot, { csmsUrl: url.href, securityProfile });
    return 'Accepted';
  }

  /** The URL for `identity` in the first slot of `priority` that has a profile; undefined for slot 0 or none. */
  urlFor(priority: readonly string[], identity: string): string | undefined {
    for (const item of priority) {
      const slot = Number(item);
      if (slot === 0) return undefined;
      const profile = this.slots.get(slot);
      if (profile) return `${profile.csmsUrl.replace(/\/+$/, '')}/${encodeURIComponent(identity)}`;
    }
    return undefined;
  }
}
