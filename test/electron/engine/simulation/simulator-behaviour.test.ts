import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { StationSettings } from '../../../../shared/api';
import type { JsonObject } from '../../../../shared/ocpp/json';
import type { OcppVersion } from '../../../../shared/ocpp/versions';
import type { Connection } from '../../../../electron/engine/connections/connection';
import { simulatedOf } from '../../../../electron/engine/simulation/simulated-station';
import { Harness } from '../engine-harness';
import type { CsmsPeer } from './csms-peer';
import { simulatedAgainstCsms } from './simulated-against-csms';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

async function setUp(
  v: OcppVersion,
  prepare: (csms: CsmsPeer) => void = () => undefined,
  extra: Partial<StationSettings> = {},
): Promise<{ csms: CsmsPeer; h: Harness; conn: Connection }> {
  return simulatedAgainstCsms(cleanups, {
    version: v,
    identity: `B-${v}`,
    prepare,
    settings: extra,
    simulator: { rebootDelaySec: 0 },
  });
}

/** An HTTP server that takes uploads (PUT) and serves a firmware image (GET), recording requests. */
async function fileServer(): Promise<{ url: string; puts: { path: string; body: string }[] }> {
  const puts: { path: string; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'PUT') {
        puts.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(201).end();
      } else if (req.url === '/fw.bin') res.writeHead(200).end(Buffer.alloc(1024, 7));
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise((r) => server.close(() => r(undefined))));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, puts };
}

describe.each(['1.6', '2.0.1'] as OcppVersion[])('simulated charger behaviour, OCPP %s', (v) => {
  it('while the boot is Pending or Rejected it sends nothing but BootNotification, retrying after the interval', async () => {
    let answers = 0;
    const { csms, h, conn } = await setUp(v, (c) => {
      c.bootStatus = 'Pending';
      c.wake
        .until(
          'two refused boots',
          () => {
            answers = c.of('BootNotification').length;
            if (answers === 1) c.bootStatus = 'Rejected';
            if (answers >= 2) c.bootStatus = 'Accepted';
            return answers >= 3 ? true : undefined;
          },
          15_000,
        )
        .catch(() => undefined);
    });
    await csms.until('StatusNotification', 1);
    const actions = csms.received.map((r) => r.action);
    expect(actions.slice(0, 3)).toEqual(['BootNotification', 'BootNotification', 'BootNotification']);
    expect(csms.failures).toEqual([]);
    expect(h.findingCodes(conn.id)).toEqual([]);
  });

  it('queues transaction messages while offline and sends them in order after reconnecting (no new boot)', async () => {
    const { csms, h, conn } = await setUp(v);
    await csms.until('StatusNotification', v === '1.6' ? 3 : 2);
    const sim = simulatedOf(conn)!;
    expect(await sim.act({ kind: 'start', connector: 1 })).toBeUndefined();
    if (v === '1.6') await csms.until('StartTransaction', 1);
    else
      await csms.wake.until('Started', () =>
        csms.of('TransactionEvent').find((e) => e.params['eventType'] === 'Started'),
      );
    await sim.act({ kind: 'offline' });
    expect(conn.state).toBe('closed');
    expect(await sim.act({ kind: 'stop', connector: 1 })).toBeUndefined();
    expect(sim.model!.queuedTransactionMessages).toBeGreaterThanOrEqual(1);
    await sim.act({ kind: 'online' });
    if (v === '1.6') {
      const [stop] = await csms.until('StopTransaction', 1, 1);
      expect(stop!.params).toMatchObject({ transactionId: 4711, reason: 'Local' });
    } else {
      const ended = await csms.wake.until('Ended', () =>
        csms.of('TransactionEvent', 1).find((e) => e.params['eventType'] === 'Ended'),
      );
      expect(ended.params).toMatchObject({ offline: true, transactionInfo: { stoppedReason: 'Local' } });
      const seq = csms.of('TransactionEvent').map((e) => e.params['seqNo']);
      expect(seq).toEqual(seq.map((_, i) => i));
    }
    expect(csms.of('BootNotification', 1)).toEqual([]);
    expect(h.of('opened', conn.id).length).toBe(2);
    expect(csms.failures).toEqual([]);
  });

  it('an override per action still wins: a held Reset gets the simulator answer as suggestion and reboots nothing', async () => {
    const { csms, h, conn } = await setUp(v);
    await csms.until('StatusNotification', v === '1.6' ? 3 : 2);
    // A policy for chargers on our endpoint must not touch the station.
    h.hub.answers.setPolicies([
      { version: v, action: 'GetLocalListVersion', mode: 'callerror', errorCode: 'GenericError' },
      { version: v, action: 'Reset', mode: 'hold', role: 'station' },
    ]);
    const list = await csms.call('GetLocalListVersion', {});
    expect(list).toEqual(v === '1.6' ? { listVersion: 0 } : { versionNumber: 0 });
    const pending = csms.call('Reset', { type: v === '1.6' ? 'Soft' : 'Immediate' });
    const held = await h.waitFor(
      (e) => e.kind === 'frame' && e.sender === 'csms' && e.msg?.action === 'Reset',
    );
    void held;
    const [call] = conn.held();
    expect(call?.action).toBe('Reset');
    expect(JSON.parse(call!.suggestedResponse)[2]).toEqual({ status: 'Accepted' });
    conn.answerHeld(call!.messageId, JSON.stringify([3, call!.messageId, { status: 'Rejected' }]));
    expect(await pending).toEqual({ status: 'Rejected' });
    expect(h.of('closed', conn.id)).toEqual([]);
  });

  it('uploads diagnostics and installs firmware over http, reporting each step in order; a scheme it cannot use fails cleanly', async () => {
    const files = await fileServer();
    const { csms, h, conn } = await setUp(v);
    await csms.until('StatusNotification', v === '1.6' ? 3 : 2);
    const statusAction = v === '1.6' ? 'DiagnosticsStatusNotification' : 'LogStatusNotification';
    if (v === '1.6') {
      const r = await csms.call('GetDiagnostics', { location: `${files.url}/up/` });
      expect(typeof r['fileName']).toBe('string');
    } else {
      const r = await csms.call('GetLog', {
        logType: 'DiagnosticsLog',
        requestId: 5,
        log: { remoteLocation: `${files.url}/up/` },
      });
      expect(r['status']).toBe('Accepted');
    }
    const up = await csms.until(statusAction, 2);
    expect(up.map((s) => s.params['status'])).toEqual(['Uploading', 'Uploaded']);
    expect(files.puts.length).toBe(1);
    expect(files.puts[0]!.path).toMatch(/^\/up\/.+\.log$/);
    expect(files.puts[0]!.body).toContain('Sim-1');

    if (v === '1.6') await csms.call('GetDiagnostics', { location: 'ftp://127.0.0.1:1/nowhere/' });
    else
      await csms.call('GetLog', {
        logType: 'DiagnosticsLog',
        requestId: 6,
        log: { remoteLocation: 'ftp://127.0.0.1:1/x/' },
      });
    const failed = await csms.until(statusAction, 4);
    expect(failed[3]!.params['status']).toBe(v === '1.6' ? 'UploadFailed' : 'UploadFailure');

    const past = new Date(Date.now() - 1000).toISOString();
    if (v === '1.6')
      await csms.call('UpdateFirmware', { location: `${files.url}/fw.bin`, retrieveDate: past });
    else
      await csms.call('UpdateFirmware', {
        requestId: 9,
        firmware: { location: `${files.url}/fw.bin`, retrieveDateTime: past },
      });
    const fw = await csms.wake.until('Installed', () => {
      const list = csms.of('FirmwareStatusNotification');
      return list.some((s) => s.params['status'] === 'Installed') ? list : undefined;
    });
    expect(fw.map((s) => s.params['status'])).toEqual(
      v === '1.6'
        ? ['Downloading', 'Downloaded', 'Installing', 'Installed']
        : ['Downloading', 'Downloaded', 'Installing', 'InstallRebooting', 'Installed'],
    );
    // Installed comes after the reboot's boot.
    const installed = fw[fw.length - 1]!;
    expect(installed.session).toBe(1);
    const [boot] = csms.of('BootNotification', 1);
    if (v !== '1.6') expect(boot!.params['reason']).toBe('FirmwareUpdate');
    expect(csms.failures).toEqual([]);
    expect(h.findingCodes(conn.id)).toEqual([]);
  });

  it('a charging profile of 0 W suspends charging and the composite schedule says so', async () => {
    const { csms, h, conn } = await setUp(v);
    await csms.until('StatusNotification', v === '1.6' ? 3 : 2);
    const sim = simulatedOf(conn)!;
    await sim.act({ kind: 'start', connector: 1 });
    const schedule = { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }] };
    if (v === '1.6') {
      await csms.until('StartTransaction', 1);
      const r = await csms.call('SetChargingProfile', {
        connectorId: 1,
        csChargingProfiles: {
          chargingProfileId: 1,
          stackLevel: 0,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Relative',
          chargingSchedule: schedule,
        },
      });
      expect(r['status']).toBe('Accepted');
      await csms.wake.until('SuspendedEVSE', () =>
        csms.of('StatusNotification').find((s) => s.params['status'] === 'SuspendedEVSE'),
      );
      const c = await csms.call('GetCompositeSchedule', { connectorId: 1, duration: 600 });
      expect(c).toMatchObject({
        status: 'Accepted',
        connectorId: 1,
        chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }] },
      });
      expect((await csms.call('ClearChargingProfile', { id: 1 }))['status']).toBe('Accepted');
      expect((await csms.call('ClearChargingProfile', { id: 1 }))['status']).toBe('Unknown');
    } else {
      await csms.wake.until('Started', () =>
        csms.of('TransactionEvent').find((e) => e.params['eventType'] === 'Started'),
      );
      const r = await csms.call('SetChargingProfile', {
        evseId: 1,
        chargingProfile: {
          id: 1,
          stackLevel: 0,
          chargingProfilePurpose: 'TxDefaultProfile',
          chargingProfileKind: 'Relative',
          chargingSchedule: [{ id: 1, ...schedule }],
        },
      });
      expect(r['status']).toBe('Accepted');
      await csms.wake.until('SuspendedEVSE', () =>
        csms
          .of('TransactionEvent')
          .find((e) => (e.params['transactionInfo'] as JsonObject)['chargingState'] === 'SuspendedEVSE'),
      );
      const c = await csms.call('GetCompositeSchedule', { evseId: 1, duration: 600 });
      expect(c).toMatchObject({
        status: 'Accepted',
        schedule: { evseId: 1, duration: 600, chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }] },
      });
    }
    expect(csms.failures).toEqual([]);
    expect(h.findingCodes(conn.id)).toEqual([]);
  });
});

describe('simulated charger against a careless CSMS', () => {
  it.each(['1.6', '2.1'] as OcppVersion[])(
    'OCPP %s: payloads of the wrong shape get an answer each, and the station keeps running',
    async (v) => {
      const h = new Harness();
      cleanups.push(() => h.close());
      const url = await h.listen();
      const station = await h.station.connect({
        url: `${url}odd/ODD-${v}`,
        protocols: [v],
        callTimeoutSec: 5,
        simulator: { vendor: 'ACME', model: 'Sim-1', connectors: 2 },
      });
      cleanups.push(() => station.close());
      const opened = await h.waitFor((e) => e.kind === 'opened' && e.connection.role === 'endpoint');
      const csms = h.hub.get(opened.conn)!;
      await h.waitFor(
        (e) => e.kind === 'frame' && e.conn === csms.id && e.msg?.action === 'StatusNotification',
      );
      const odd: [string, Record<string, unknown>][] = [
        ['GetConfiguration', { key: 'HeartbeatInterval' }],
        ['ChangeConfiguration', { key: 5, value: null }],
        ['GetVariables', { getVariableData: 'everything' }],
        ['SetVariables', { setVariableData: [null, 3, { component: 'x' }] }],
        [
          'SetChargingProfile',
          {
            connectorId: 'one',
            evseId: [],
            csChargingProfiles: 'fast',
            chargingProfile: { chargingSchedule: 7 },
          },
        ],
        ['GetCompositeSchedule', { connectorId: 1e300, evseId: -5, duration: 'long' }],
        ['RemoteStartTransaction', {}],
        ['RequestStartTransaction', { idToken: 'abc' }],
        ['TriggerMessage', { requestedMessage: 42, evse: 'all' }],
        ['ReserveNow', { connectorId: 1, evseId: 1, expiryDate: 'never', expiryDateTime: 'never' }],
        ['UpdateFirmware', { firmware: 'new' }],
        ['SendLocalList', { localAuthorizationList: [1, { idTag: 2 }], updateType: 'Full' }],
      ];
      for (const [action, payload] of odd) {
        const o = await csms.sendCall(action, payload as never, 5);
        expect(o.timedOut, action).toBe(false);
        expect([3, 4], action).toContain(o.response?.msg?.type);
      }
      expect(station.state).toBe('open');
      const hb = await csms.sendCall('TriggerMessage', { requestedMessage: 'Heartbeat' }, 5);
      expect(JSON.parse(hb.response!.text)[2]).toEqual({ status: 'Accepted' });
    },
  );
});

describe.each(['1.6', '2.1'] as OcppVersion[])('simulated charger site operations, OCPP %s', (v) => {
  it('honours a new heartbeat interval, reservations, availability, unlock, DataTransfer and ClearCache as asked', async () => {
    const { csms, h, conn } = await setUp(v, (c) => {
      // A long interval first: the change below is what makes heartbeats come.
      c.heartbeatSec = 3600;
    });
    await csms.until('StatusNotification', v === '1.6' ? 3 : 2);
    expect(csms.of('Heartbeat')).toEqual([]);
    if (v === '1.6')
      expect(
        (await csms.call('ChangeConfiguration', { key: 'HeartbeatInterval', value: '1' }))['status'],
      ).toBe('Accepted');
    else {
      const r = await csms.call('SetVariables', {
        setVariableData: [
          {
            attributeValue: '1',
            component: { name: 'OCPPCommCtrlr' },
            variable: { name: 'HeartbeatInterval' },
          },
        ],
      });
      expect((r['setVariableResult'] as JsonObject[])[0]!['attributeStatus']).toBe('Accepted');
    }
    await csms.until('Heartbeat', 2);

    const expiry = new Date(Date.now() + 3_600_000).toISOString();
    const reserve =
      v === '1.6'
        ? await csms.call('ReserveNow', {
            connectorId: 2,
            expiryDate: expiry,
            idTag: 'RES-1',
            reservationId: 77,
          })
        : await csms.call('ReserveNow', {
            id: 77,
            evseId: 2,
            expiryDateTime: expiry,
            idToken: { idToken: 'RES-1', type: 'ISO14443' },
          });
    expect(reserve['status']).toBe('Accepted');
    await csms.wake.until('Reserved', () =>
      csms
        .of('StatusNotification')
        .find((s) => (v === '1.6' ? s.params['status'] : s.params['connectorStatus']) === 'Reserved'),
    );
    expect((await csms.call('CancelReservation', { reservationId: 78 }))['status']).toBe('Rejected');
    expect((await csms.call('CancelReservation', { reservationId: 77 }))['status']).toBe('Accepted');

    const inoperative =
      v === '1.6'
        ? await csms.call('ChangeAvailability', { connectorId: 1, type: 'Inoperative' })
        : await csms.call('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } });
    expect(inoperative['status']).toBe('Accepted');
    await csms.wake.until('Unavailable', () =>
      csms
        .of('StatusNotification')
        .find((s) => (v === '1.6' ? s.params['status'] : s.params['connectorStatus']) === 'Unavailable'),
    );
    const unlock =
      v === '1.6'
        ? await csms.call('UnlockConnector', { connectorId: 9 })
        : await csms.call('UnlockConnector', { evseId: 9, connectorId: 1 });
    expect(unlock['status']).toBe(v === '1.6' ? 'NotSupported' : 'UnknownConnector');
    expect((await csms.call('DataTransfer', { vendorId: 'acme', messageId: 'x' }))['status']).toBe(
      'UnknownVendorId',
    );
    expect((await csms.call('ClearCache', {}))['status']).toBe('Accepted');
    expect(csms.failures).toEqual([]);
    expect(h.findingCodes(conn.id)).toEqual([]);
  });
});
