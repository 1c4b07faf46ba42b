import { describe, expect, it } from 'vitest';
import { connectionName } from '../../../shared/capture/connection-name';

describe('connectionName', () => {
  it('is the identity when the charger told one', () => {
    expect(connectionName({ identity: 'CP-1', url: 'wss://csms.local/ocpp/CP-1' })).toBe('CP-1');
  });

  it('names an attempt without identity by the host it dialled (SNI) or reached', () => {
    expect(connectionName({ identity: '', url: 'wss://charger-gw.local:8443/' })).toBe(
      '(no identity) charger-gw.local',
    );
    expect(connectionName({ identity: '', url: 'wss://user:pw@[::1]:9000/' })).toBe('(no identity) [::1]');
  });

  it('gives nothing when there is no host either (a bare path)', () => {
    expect(connectionName({ identity: '', url: '/' })).toBeUndefined();
  });
});
