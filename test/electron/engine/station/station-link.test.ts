import { describe, expect, it } from 'vitest';
import { SharedAttempts } from '../../../../electron/engine/station/station-link';
import type { OcppVersion } from '../../../../shared/ocpp/versions';

describe("a station's attempt settings", () => {
  it('are shared by links whose settings differ only in URL and simulator, per station', () => {
    const attempts = new SharedAttempts();
    const reconnect = { enabled: true, maxDelaySec: 5 };
    const protocols: OcppVersion[] = ['1.6'];
    const a = attempts.of({ url: 'ws://127.0.0.1:1/CP-1', protocols, reconnect });
    expect(attempts.of({ url: 'ws://127.0.0.1:1/CP-2', protocols, reconnect })).toBe(a);
    expect(a).toEqual({ protocols, reconnect });
    expect(Object.isFrozen(a)).toBe(true);
    expect(attempts.of({ url: 'ws://127.0.0.1:1/CP-3', protocols, reconnect: { ...reconnect } })).not.toBe(a);
    expect(new SharedAttempts().of({ url: 'ws://127.0.0.1:1/CP-1', protocols, reconnect })).not.toBe(a);
  });
});
