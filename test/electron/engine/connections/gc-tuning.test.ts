import type * as V8 from 'node:v8';
import { describe, expect, it, vi } from 'vitest';

const setFlagsFromString = vi.fn();
vi.mock('node:v8', async (importOriginal) => ({
  ...(await importOriginal<typeof V8>()),
  setFlagsFromString,
}));

describe('GC tuning of the engine process', () => {
  it('switches allocation-site pretenuring off once, when the first hub is made', async () => {
    const { ConnectionHub } = await import('../../../../electron/engine/connections/connection-hub');
    expect(setFlagsFromString).not.toHaveBeenCalled();
    new ConnectionHub();
    new ConnectionHub();
    expect(setFlagsFromString).toHaveBeenCalledTimes(1);
    expect(setFlagsFromString).toHaveBeenCalledWith('--no-allocation-site-pretenuring');
  });
});
