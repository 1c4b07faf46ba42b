import { describe, expect, it } from 'vitest';
import { API_METHODS } from '../../shared/api';
import type { ApiMethod } from '../../shared/api';
import { defaultAppSettings } from '../../shared/api-defaults';
import { maxArity, validateAppSettings, validateArgs } from '../../shared/api-validate';

/** A valid call for every method, so each method is exercised at least once with good arguments. */
const GOOD: Record<ApiMethod, unknown[]> = {
  getSettings: [],
  saveSettings: [defaultAppSettings()],
  startEndpoint: [{ ...defaultAppSettings().endpoint, host: '127.0.0.1', port: 0 }],
  stopEndpoint: [],
  getEndpointStatus: [],
  connectStation: [
    { url: 'ws://127.0.0.1:9000/CP1', protocols: ['1.6'], basicAuth: { username: 'CP1', password: 'x' } },
  ],
  disconnect: ['c1'],
  listConnections: [],
  send: ['c1', '[2,"1","Heartbeat",{}'],
  listHeld: [],
  answerHeld: ['c1', 'm1', '[3,"m1",{}]'],
  setAutoAnswer: [[{ version: '2.0.1', action: 'BootNotification', mode: 'hold' }]],
  setRecording: [true],
  getRecording: [],
  listSources: [],
  openFile: ['/tmp/a.jsonl'],
  openContent: ['a.har', '{}', 'utf8'],
  beginUpload: ['a.har', 10],
  uploadChunk: ['upload-1', 0, 'AAAA'],
  finishUpload: ['upload-1'],
  cancelUpload: ['upload-1'],
  closeSource: ['source-1'],
  queryEvents: ['live', { action: 'Heartbeat', withFindings: true }, 0, 100],
  exportSource: ['live', 'har', true],
  chooseFile: ['save', 'x.jsonl'],
  saveFile: ['/tmp/x.jsonl', 'data'],
  startReplay: [
    { sourceId: 'source-1', side: 'station', target: 'ws://127.0.0.1:1/CP', speed: 0, shiftTimestamps: true },
  ],
  pauseReplay: [],
  resumeReplay: [],
  stepReplay: [],
  getReplay: [],
  stopReplay: [],
  listCaptures: [],
  renameCapture: ['/data/captures/a.ocppcap.jsonl', 'b'],
  deleteCapture: ['/data/captures/a.ocppcap.jsonl'],
  revealCapture: ['/data/captures/a.ocppcap.jsonl'],
  diffCaptures: ['/data/a.ocppcap.jsonl', '/data/b.ocppcap.jsonl'],
  setProxyHold: ['c1', 'station', true],
  listHeldFrames: [],
  releaseHeld: ['c1', 12, '[2,"1","Heartbeat",{}]'],
  dropHeld: ['c1', 12],
  injectFrame: ['c1', 'csms', '[2,"1","Heartbeat",{}]'],
  startCheck: [
    {
      suite: 'charger-core-1.6',
      target: 'c1',
      noPrompt: true,
      vars: [['validIdTag', 'AB']],
      basicAuth: { username: 'CP1', password: 'pw' },
    },
  ],
  answerCheckPrompt: ['prompt-1', 'done'],
  stopCheck: [],
  getCheck: [],
  listSimulators: [],
  simulatorAction: ['c1', { kind: 'card', connector: 1, idTag: 'TAG' }],
  startFleet: [
    {
      url: 'ws://127.0.0.1:9000/ocpp',
      prefix: 'SIM',
      count: 10,
      protocol: '2.0.1',
      connectors: 2,
      autoTransactions: true,
    },
  ],
  stopFleet: [],
  getFleet: [],
  checkSimulatorSettings: [
    { versions: ['2.0.1'], connectors: 2, config: { 'OCPPCommCtrlr.HeartbeatInterval': '30' } },
  ],
  startFiles: [
    {
      dir: '',
      host: '0.0.0.0',
      ports: { http: 0, https: 8443, ftp: null, ftps: 0 },
      account: { user: 'u', password: 'p' },
      maxUploadBytes: 1024,
    },
  ],
  stopFiles: [],
  getFilesStatus: [],
  prepareTransfer: [{ identity: 'CP1', action: 'UpdateFirmware', firmware: 'fw.bin' }],
  regenerateCa: [],
  exportDiagnosis: ['live'],
};

describe('validateArgs', () => {
  it.each(API_METHODS.map((m) => [m]))('accepts good arguments for %s', (method) => {
    expect(validateArgs(method, GOOD[method])).toEqual({ ok: true });
  });

  it.each(API_METHODS.filter((m) => maxArity(m) > 0).map((m) => [m]))(
    'refuses %s with a missing argument and with an extra one',
    (method) => {
      const missing = validateArgs(method, []);
      if (method !== 'chooseFile') expect(missing.ok).toBe(false);
      const extra = validateArgs(method, [...GOOD[method], ...Array(maxArity(method)).fill('x'), 'extra']);
      expect(extra.ok).toBe(false);
    },
  );

  it('checks simulator actions, simulator settings and the role of an auto-answer policy', () => {
    expect(validateArgs('simulatorAction', ['c1', { kind: 'explode' }]).ok).toBe(false);
    expect(validateArgs('simulatorAction', ['c1', { kind: 'plug', connector: 99 }]).ok).toBe(false);
    expect(validateArgs('simulatorAction', ['c1', { kind: 'reboot', connector: 1 }]).ok).toBe(false);
    expect(validateArgs('simulatorAction', ['c1', { kind: 'offline' }]).ok).toBe(true);
    const station = { url: 'ws://x/CP', protocols: ['1.6'] };
    expect(
      validateArgs('connectStation', [{ ...station, simulator: { vendor: 'a', model: 'b', connectors: 2 } }])
        .ok,
    ).toBe(true);
    expect(
      validateArgs('connectStation', [{ ...station, simulator: { vendor: 'a', model: 'b', connectors: 0 } }])
        .ok,
    ).toBe(false);
    const policy = { version: '1.6', action: 'Reset', mode: 'hold' };
    expect(validateArgs('setAutoAnswer', [[{ ...policy, role: 'station' }]]).ok).toBe(true);
    expect(validateArgs('setAutoAnswer', [[{ ...policy, role: 'csms' }]]).ok).toBe(false);
  });

  it('refuses unknown methods and non-list arguments', () => {
    expect(validateArgs('eval', [])).toEqual({
      ok: false,
      code: 'unknown-method',
      error: 'unknown method "eval"',
    });
    expect(validateArgs('__proto__', [])).toMatchObject({ ok: false });
    expect(validateArgs('send', 'c1')).toMatchObject({ ok: false, error: 'send: arguments must be a list' });
  });

  it('names the path and reason of a bad value', () => {
    const settings = { ...(GOOD.startEndpoint[0] as object), port: 70000 };
    expect(validateArgs('startEndpoint', [settings])).toEqual({
      ok: false,
      code: 'bad-arguments',
      error: 'startEndpoint argument 1.port: expected an integer from 0 to 65535',
    });
    expect(validateArgs('connectStation', [{ url: 'http://x/CP', protocols: ['1.6'] }])).toMatchObject({
      ok: false,
      error: expect.stringContaining('ws:// or wss://'),
    });
    expect(validateArgs('setAutoAnswer', [[{ version: '3.0', action: 'X', mode: 'auto' }]])).toMatchObject({
      ok: false,
      error: expect.stringContaining('argument 1[0].version'),
    });
  });

  it('refuses unknown properties, wrong types and oversize values', () => {
    expect(validateArgs('queryEvents', ['live', { evil: 1 }, 0, 10])).toMatchObject({
      ok: false,
      error: expect.stringContaining('unknown property "evil"'),
    });
    expect(validateArgs('send', ['c1', 42]).ok).toBe(false);
    expect(validateArgs('setRecording', ['yes']).ok).toBe(false);
    expect(validateArgs('queryEvents', ['live', {}, -1, 10]).ok).toBe(false);
    expect(validateArgs('queryEvents', ['live', {}, 0, 1_000_000]).ok).toBe(false);
    expect(validateArgs('disconnect', ['x'.repeat(300)]).ok).toBe(false);
    expect(validateArgs('disconnect', ['']).ok).toBe(false);
    expect(validateArgs('openContent', ['a', 'b', 'latin1']).ok).toBe(false);
  });

  it('lets a frame be any text, valid OCPP or not (validation annotates, never blocks)', () => {
    for (const text of ['', 'not json', '[2]', '{"a":1}', '[2,"1","Heartbeat",{}]']) {
      expect(validateArgs('send', ['c1', text])).toEqual({ ok: true });
    }
  });

  it('accepts chooseFile without the optional name', () => {
    expect(validateArgs('chooseFile', ['open'])).toEqual({ ok: true });
    expect(validateArgs('chooseFile', [])).toMatchObject({ ok: false });
  });
});

describe('validateAppSettings', () => {
  it('accepts the defaults and refuses a damaged copy', () => {
    expect(validateAppSettings(defaultAppSettings())).toEqual({ ok: true });
    const broken = defaultAppSettings() as unknown as Record<string, unknown>;
    broken.theme = 'purple';
    expect(validateAppSettings(broken)).toMatchObject({
      ok: false,
      error: expect.stringContaining('settings.theme'),
    });
    expect(validateAppSettings(null).ok).toBe(false);
  });

  it('accepts a station URL still being typed in stored settings', () => {
    const s = defaultAppSettings();
    s.station.url = '';
    expect(validateAppSettings(s)).toEqual({ ok: true });
  });
});

describe('validateArgs on hostile input', () => {
  it('never throws, whatever arrives off the wire', async () => {
    const fc = (await import('fast-check')).default;
    const method = fc.oneof(
      fc.constantFrom(...API_METHODS),
      fc.string(),
      fc.constantFrom('__proto__', 'constructor', 'toString'),
    );
    fc.assert(
      fc.property(method, fc.jsonValue(), (m, args) => {
        const r = validateArgs(m, args);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...API_METHODS), fc.array(fc.anything(), { maxLength: 5 }), (m, args) => {
        expect(() => validateArgs(m, args)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});
