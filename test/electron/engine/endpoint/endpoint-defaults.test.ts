import { describe, expect, it } from 'vitest';
import { defaultEndpointSettings } from '../../../../shared/api-defaults';
import { DEFAULT_ENDPOINT_SETTINGS } from '../../../../electron/engine/endpoint/endpoint';

describe('endpoint defaults', () => {
  it('the engine and the app start from the same defaults', () => {
    expect(DEFAULT_ENDPOINT_SETTINGS).toEqual(defaultEndpointSettings());
    // Each call is a fresh object: a caller editing its copy cannot change anyone else's defaults.
    expect(defaultEndpointSettings()).not.toBe(defaultEndpointSettings());
    expect(defaultEndpointSettings().limits).not.toBe(defaultEndpointSettings().limits);
  });
});
