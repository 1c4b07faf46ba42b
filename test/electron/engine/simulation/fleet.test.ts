import { describe, expect, it } from 'vitest';
import { ConnectionHub } from '../../../../electron/engine/connections/connection-hub';
import { FLEET_GATHER_MS, Fleet, fleetIdentities } from '../../../../electron/engine/simulation/fleet';

describe('Fleet', () => {
  it('names its stations from the prefix, numbered from 1 (one station keeps the id unless numbering is asked)', () => {
    expect(fleetIdentities('CP', 3)).toEqual(['CP-1', 'CP-2', 'CP-3']);
    expect(fleetIdentities('CP', 1)).toEqual(['CP']);
    expect(fleetIdentities('CP', 1, true)).toEqual(['CP-1']);
  });

  it('wakes its chargers due within a tenth of a second of each other in one run of its scheduler, none before its time', async () => {
    const fleet = new Fleet(new ConnectionHub(), {
      to: 'ws://127.0.0.1:9/ocpp',
      protocol: '1.6',
      id: 'CP',
      count: 2,
      simulator: {},
    });
    const woke: { at: number; now: number }[] = [];
    const first = Date.now() + 10;
    const last = first + FLEET_GATHER_MS - 20;
    try {
      await new Promise<void>((resolve) => {
        for (const at of [first, last])
          fleet.scheduler.schedule(
            {
              wake: (now) => {
                woke.push({ at, now });
                if (woke.length === 2) resolve();
              },
            },
            at,
          );
      });
    } finally {
      fleet.scheduler.stop();
    }
    expect(new Set(woke.map((w) => w.now)).size).toBe(1);
    expect(woke.every((w) => w.now >= w.at)).toBe(true);
  });
});
