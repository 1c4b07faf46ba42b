import { describe, expect, it } from 'vitest';
import { refusal } from '../../../../renderer/src/logic/check-refusal';

describe('a simulator settings check the engine refused', () => {
  it('is told under the field its sentence names, the configuration otherwise', () => {
    expect(refusal(new Error('args[0].revokedCertificates: at most 100 items'))).toEqual({
      revokedCertificates: 'args[0].revokedCertificates: at most 100 items',
    });
    expect(refusal(new Error('args[0].crlFile: too long'))).toEqual({ crlFile: 'args[0].crlFile: too long' });
    expect(refusal(new Error('args[0].caFile: too long'))).toEqual({ crlFile: 'args[0].caFile: too long' });
    expect(refusal(new Error('The connection to the OCPP Scope engine was lost.'))).toEqual({
      config: 'The connection to the OCPP Scope engine was lost.',
    });
    expect(refusal('odd')).toEqual({ config: 'odd' });
  });
});
