import { describe, expect, it } from 'vitest';
import { Config16 } from '../../../../electron/engine/simulation/config-16';

describe('a simulated 1.6 charger’s configuration', () => {
  it('reads the shared defaults until a value is changed, then its own, for each station apart', () => {
    const a = new Config16(2);
    const b = new Config16(2);
    expect(a.get('HeartbeatInterval')).toBe('300');
    expect(a.change('HeartbeatInterval', '10')).toBe('Accepted');
    expect(a.change('MeterValueSampleInterval', '15')).toBe('Accepted');
    expect(a.change('HeartbeatInterval', '20')).toBe('Accepted');
    expect(a.int('HeartbeatInterval', 0)).toBe(20);
    expect(a.int('MeterValueSampleInterval', 0)).toBe(15);
    expect(b.get('HeartbeatInterval')).toBe('300');
    expect(b.get('MeterValueSampleInterval')).toBe('60');
  });

  it('answers changes as a charger does: unknown NotSupported, read-only and bad values Rejected, reboot keys RebootRequired', () => {
    const c = new Config16(2, { CpoName: 'ACME', MyKey: 'x' });
    expect(c.change('NoSuchKey', '1')).toBe('NotSupported');
    expect(c.change('NumberOfConnectors', '3')).toBe('Rejected');
    expect(c.change('HeartbeatInterval', 'soon')).toBe('Rejected');
    expect(c.change('ConnectorPhaseRotation', '0.RST,1.RST')).toBe('RebootRequired');
    expect(c.change('LocalAuthorizeOffline', 'FALSE')).toBe('Accepted');
    expect(c.bool('LocalAuthorizeOffline')).toBe(false);
    expect(c.get('CpoName')).toBe('ACME');
    const read = c.read(['CpoName', 'MyKey', 'NumberOfConnectors', 'Nope', 'ConnectorPhaseRotation']);
    expect(read.unknown).toEqual(['Nope']);
    expect(read.known).toEqual([
      { key: 'CpoName', readonly: false, value: 'ACME' },
      { key: 'MyKey', readonly: false, value: 'x' },
      { key: 'NumberOfConnectors', readonly: true, value: '2' },
      { key: 'ConnectorPhaseRotation', readonly: false, value: '0.RST,1.RST' },
    ]);
  });
});
