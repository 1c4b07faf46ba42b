/**
 * A stand-in engine that runs inside the page (installed with page.addInitScript before the app loads, as
 * `window.ocppScope`, the slot the Electron preload uses). It serves a synthetic capture of any size generated on
 * demand, a scripted live session for screenshots, and a timed flood for the UI benchmark. It must be
 * self-contained: Playwright serializes the function's source into the page.
 */
export interface FakeOptions {
  captureEvents: number;
  /** Scripted demo traffic (a charger booting, a finding, a held call) for screenshots. */
  demo: boolean;
  flood?: { perSecond: number; durationMs: number };
}

export function installFakeApi(opts: FakeOptions): void {
  type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
  const w = window as Any;
  const listeners = new Set<(n: Any[]) => void>();
  const now = Date.now();
  const live: Any[] = [];
  const stats = { emitted: 0, batches: 0 };
  w.__fakeStats = stats;
  const notify = (notices: Any[]): void => {
    for (const l of listeners) l(notices);
  };
  const ACTIONS = ['Heartbeat', 'StatusNotification', 'MeterValues', 'Authorize', 'TransactionEvent'];
  const captureEvent = (i: number): Any => {
    const pairIndex = i >> 1;
    const action = ACTIONS[pairIndex % ACTIONS.length];
    const id = `m-${pairIndex}`;
    const t = now - 3_600_000 + i * 50;
    if (i % 2 === 0)
      return {
        seq: i,
        t,
        mono: i * 50,
        conn: 'cap-c1',
        kind: 'frame',
        sender: 'station',
        text: `[2,"${id}","${action}",{"seq":${i}}]`,
        msg: { type: 2, id, action },
        findings:
          pairIndex % 97 === 0
            ? [
                {
                  code: 'schema-required',
                  severity: 'error',
                  message: 'Missing property "timestamp".',
                  path: '/timestamp',
                },
              ]
            : [],
      };
    return {
      seq: i,
      t: t + 12,
      mono: i * 50 + 12,
      conn: 'cap-c1',
      kind: 'frame',
      sender: 'csms',
      text: `[3,"${id}",{}]`,
      msg: { type: 3, id, action },
      findings: [],
      pair: { partnerSeq: i - 1, rttMs: 12 + (pairIndex % 40) },
    };
  };
  const connection = (id: string, identity: string, version: string, role = 'endpoint'): Any => ({
    id,
    role,
    identity,
    url: `ws://127.0.0.1:9000/ocpp/${identity}`,
    version,
    state: 'open',
    since: now - 754_000,
    frames: 0,
    bytes: 0,
    findings: 0,
    lastRttMs: undefined,
  });
  const connections: Any[] = [];
  let held: Any[] = [];
  let heldFrames: Any[] = [];
  const calls: Any[] = [];
  w.__fakeCalls = calls;
  let seq = 0;
  let mono = 0;
  const push = (events: Any[]): void => {
    for (const e of events) {
      e.seq = seq++;
      e.t = Date.now();
      e.mono = mono += 7;
      live.push(e);
      const c = connections.find((x) => x.id === e.conn);
      if (c && e.kind === 'frame') {
        c.frames++;
        c.findings += e.findings.length;
        if (e.pair?.rttMs !== undefined) c.lastRttMs = e.pair.rttMs;
      }
    }
    stats.emitted += events.length;
    stats.batches++;
    notify([
      { type: 'events', sourceId: 'live', events },
      { type: 'connections', connections: connections.map((c) => ({ ...c })) },
    ]);
  };
  const frame = (conn: string, sender: string, text: string, msg: Any, extra: Any = {}): Any => ({
    conn,
    kind: 'frame',
    sender,
    text,
    msg,
    findings: [],
    ...extra,
  });
  const handshake = (identity: string, protocol: string): Any => ({
    request: {
      startLine: `GET /ocpp/${identity} HTTP/1.1`,
      headers: [
        ['Host', '192.168.1.20:9000'],
        ['Upgrade', 'websocket'],
        ['Connection', 'Upgrade'],
        ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
        ['Sec-WebSocket-Version', '13'],
        ['Sec-WebSocket-Protocol', `${protocol}, ocpp1.6`],
        ['Authorization', 'Basic Q1AtMDAxOnMzY3JldC1rZXk='],
      ],
    },
    response: {
      startLine: 'HTTP/1.1 101 Switching Protocols',
      status: 101,
      headers: [
        ['Upgrade', 'websocket'],
        ['Connection', 'Upgrade'],
        ['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='],
        ['Sec-WebSocket-Protocol', protocol],
      ],
    },
    remote: { address: '192.168.1.57', port: 50412 },
    offeredProtocols: [protocol, 'ocpp1.6'],
    chosenProtocol: protocol,
    basicAuth: { username: identity, password: 's3cret-key', passwordHex: '', printable: true },
    findings: [],
  });
  const demo = (): void => {
    const a = connection('c1', 'CP-DEMO-001', '2.0.1');
    const b = connection('c2', 'WALLBOX-17', '1.6');
    connections.push(a, b);
    const opened = (c: Any, proto: string): Any => ({
      conn: c.id,
      kind: 'opened',
      ok: true,
      connection: { id: c.id, role: c.role, identity: c.identity, url: c.url, version: c.version },
      handshake: handshake(c.identity, proto),
    });
    const ex = (
      conn: string,
      action: string,
      req: Any,
      res: Any,
      rtt: number,
      findings: Any[] = [],
    ): Any[] => {
      const id = `${Math.random().toString(16).slice(2, 10)}-${action.length}`;
      const call = frame(
        conn,
        'station',
        JSON.stringify([2, id, action, req]),
        { type: 2, id, action },
        { findings },
      );
      const result = frame(conn, 'csms', JSON.stringify([3, id, res]), { type: 3, id, action });
      return [call, result, rtt];
    };
    const batch: Any[] = [opened(a, 'ocpp2.0.1')];
    const seqOf = (e: Any): number => seq + batch.indexOf(e);
    const add = (trio: Any[]): void => {
      const [call, result, rtt] = trio;
      batch.push(call);
      result.pair = { partnerSeq: seqOf(call), rttMs: rtt };
      batch.push(result);
    };
    add(
      ex(
        'c1',
        'BootNotification',
        { chargingStation: { model: 'DC-150', vendorName: 'Acme' }, reason: 'PowerUp' },
        { currentTime: new Date().toISOString(), interval: 300, status: 'Accepted' },
        38,
      ),
    );
    add(
      ex(
        'c1',
        'StatusNotification',
        { timestamp: new Date().toISOString(), connectorStatus: 'Available', evseId: 1, connectorId: 1 },
        {},
        11,
      ),
    );
    batch.push(opened(b, 'ocpp1.6'));
    add(
      ex(
        'c2',
        'BootNotification',
        { chargePointVendor: 'Wallbox', chargePointModel: 'Pulsar' },
        { currentTime: new Date().toISOString(), interval: 60, status: 'Accepted' },
        24,
      ),
    );
    add(ex('c1', 'Heartbeat', {}, { currentTime: new Date().toISOString() }, 9));
    add(
      ex('c2', 'MeterValues', { connectorId: '1', meterValue: [] }, {}, 17, [
        {
          code: 'schema-type',
          severity: 'error',
          message: 'connectorId must be an integer, not a string.',
          path: '/connectorId',
          errorCode: 'TypeConstraintViolation',
        },
      ]),
    );
    add(
      ex(
        'c1',
        'Authorize',
        { idToken: { idToken: '04A2B3C4D5', type: 'ISO14443' } },
        { idTokenInfo: { status: 'Accepted' } },
        14,
      ),
    );
    add(ex('c2', 'Heartbeat', {}, { currentTime: new Date().toISOString() }, 8));
    batch.push(
      frame('c2', 'station', '[2,"77","DataTransfer",{"vendorId":"Wallbox"', undefined, {
        msg: undefined,
        problem: {
          code: 'not-json',
          message: 'The text is not JSON: it ends in the middle of an object (character 42).',
          errorCode: 'FormationViolation',
          position: 42,
          messageId: '77',
        },
      }),
    );
    batch.push(
      frame(
        'c1',
        'station',
        '[2,"tx-1","TransactionEvent",{"eventType":"Started","timestamp":"2026-11-24T02:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"T-1"}}]',
        { type: 2, id: 'tx-1', action: 'TransactionEvent' },
      ),
    );
    const p = connection('c3', 'PROXY-CP-9', '1.6', 'proxy');
    p.url = 'ws://127.0.0.1:9000/ocpp/PROXY-CP-9';
    p.proxy = {
      upstreamUrl: 'wss://csms.example.com/ocpp/PROXY-CP-9',
      hold: { station: true, csms: false },
      heldFrames: 1,
    };
    connections.push(p);
    batch.push(opened(p, 'ocpp1.6'));
    const heldText =
      '[2,"px-1","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Charging"}]';
    batch.push(frame('c3', 'station', heldText, { type: 2, id: 'px-1', action: 'StatusNotification' }));
    push(batch);
    heldFrames = [{ connectionId: 'c3', seq: seq - 1, from: 'station', text: heldText }];
    notify([{ type: 'heldFrames', frames: heldFrames }]);
    held = [
      {
        connectionId: 'c1',
        messageId: 'tx-1',
        action: 'TransactionEvent',
        version: '2.0.1',
        seq: seq - 1,
        suggestedResponse: '[3, "tx-1", {\n  "idTokenInfo": { "status": "Accepted" }\n}]',
      },
    ];
    notify([{ type: 'held', held }]);
  };
  const sources = (): Any[] => [
    { id: 'live', kind: 'live', name: 'Live', events: live.length, indexing: false, findings: [] },
    ...(opts.captureEvents > 0
      ? [
          {
            id: 'cap',
            kind: 'capture',
            name: 'site-visit.jsonl',
            events: opts.captureEvents,
            indexing: false,
            findings: [],
          },
        ]
      : []),
  ];
  const settings: Any = {
    endpoint: {
      host: '0.0.0.0',
      port: 9000,
      protocols: ['2.0.1', '1.6'],
      unknownProtocol: 'accept',
      securityProfile: 1,
      passwords: {},
      acceptAnyPassword: true,
      pingIntervalSec: 30,
      callTimeoutSec: 30,
      limits: { maxFrameBytes: 1048576, maxFramesPerSec: 1000, maxConnections: 1000 },
    },
    station: { url: 'ws://127.0.0.1:9000/CP001', protocols: ['1.6'] },
    autoAnswer: [{ version: '2.0.1', action: 'TransactionEvent', mode: 'hold' }],
    recordByDefault: false,
    recentCaptures: ['/home/me/captures/site-visit.jsonl'],
    theme: 'system',
  };
  const endpoint = {
    running: true,
    host: '0.0.0.0',
    port: 9000,
    urls: ['ws://192.168.1.20:9000/', 'ws://10.8.0.3:9000/'],
  };
  const ok = <T>(v: T): Promise<T> => Promise.resolve(v);
  const report = [
    { index: 0, action: 'BootNotification', outcome: 'matched', diffs: [] },
    { index: 1, action: 'StatusNotification', outcome: 'matched', diffs: [] },
    {
      index: 2,
      action: 'Authorize',
      outcome: 'differed',
      diffs: [{ path: '/idTokenInfo/status', recorded: 'Accepted', live: 'Invalid' }],
    },
    { index: 3, action: 'Heartbeat', outcome: 'matched', diffs: [] },
    { index: 4, action: 'MeterValues', outcome: 'timed-out', diffs: [] },
  ];
  w.ocppScope = {
    getSettings: () => ok(settings),
    saveSettings: (s: Any) => ok(s),
    startEndpoint: () => ok(endpoint),
    stopEndpoint: () => ok({ running: false, urls: [] }),
    getEndpointStatus: () => ok(endpoint),
    connectStation: () => ok({ connectionId: 'c9' }),
    disconnect: () => ok(undefined),
    listConnections: () => ok(connections.map((c) => ({ ...c }))),
    send: (conn: string, text: string) => {
      const m = /^\s*\[\s*(\d)\s*,\s*"([^"]*)"\s*(?:,\s*"([^"]*)")?/.exec(text);
      push([frame(conn, 'csms', text, m ? { type: Number(m[1]), id: m[2], action: m[3] } : undefined)]);
      return ok({ seq: seq - 1, messageId: m?.[2], findings: [] });
    },
    listHeld: () => ok(held),
    answerHeld: (conn: string, _id: string, text: string) => {
      held = [];
      push([frame(conn, 'csms', text, undefined)]);
      notify([{ type: 'held', held }]);
      return ok({ seq: seq - 1, findings: [] });
    },
    setAutoAnswer: () => ok(undefined),
    setRecording: (on: boolean) => ok({ on, events: 0, bytes: 0 }),
    getRecording: () => ok({ on: false, events: 0, bytes: 0 }),
    listSources: () => ok(sources()),
    openFile: () => ok(sources()[1]),
    openContent: () => ok(sources()[1]),
    beginUpload: () => ok({ uploadId: 'upload-1', chunkBytes: 1 << 20, maxBytes: 2 ** 32 }),
    uploadChunk: (_id: string, offset: number, data: string) => ok({ received: offset + atob(data).length }),
    finishUpload: () => ok(sources()[1]),
    cancelUpload: () => ok(undefined),
    closeSource: () => ok(undefined),
    queryEvents: (sourceId: string, query: Any, offset: number, limit: number) => {
      if (sourceId === 'live')
        return ok({ total: live.length, offset, events: live.slice(offset, offset + limit) });
      const total = opts.captureEvents;
      const empty = !query || Object.keys(query).length === 0;
      if (empty) {
        const events = [];
        for (let i = offset; i < Math.min(total, offset + limit); i++) events.push(captureEvent(i));
        return ok({ total, offset, events });
      }
      const matches = [];
      for (let i = 0; i < Math.min(total, 200_000); i++) {
        const e = captureEvent(i);
        if (query.action && e.msg.action.toLowerCase() !== String(query.action).toLowerCase()) continue;
        if (query.messageType && e.msg.type !== query.messageType) continue;
        if (query.withFindings && e.findings.length === 0) continue;
        if (query.text && !e.text.includes(query.text)) continue;
        matches.push(e);
      }
      return ok({ total: matches.length, offset, events: matches.slice(offset, offset + limit) });
    },
    exportSource: () => ok({ name: 'export.jsonl', data: '' }),
    chooseFile: () => ok(undefined),
    saveFile: () => ok(undefined),
    startReplay: () => ok({ state: 'done', position: 5, total: 5, report }),
    pauseReplay: () => ok({ state: 'paused', position: 2, total: 5, report: [] }),
    resumeReplay: () => ok({ state: 'running', position: 2, total: 5, report: [] }),
    stepReplay: () => ok({ state: 'paused', position: 3, total: 5, report: [] }),
    getReplay: () => ok({ state: 'idle', position: 0, total: 0, report: [] }),
    stopReplay: () => ok({ state: 'idle', position: 0, total: 0, report: [] }),
    listCaptures: () => ok({ dir: '/fake/captures', entries: [], truncated: false }),
    renameCapture: () => Promise.reject(new Error('The fake engine has no capture folder.')),
    deleteCapture: () => Promise.reject(new Error('The fake engine has no capture folder.')),
    revealCapture: (path: string) => ok({ revealed: false, path }),
    diffCaptures: () => Promise.reject(new Error('The fake engine has no capture folder.')),
    getFilesStatus: () => ok({ running: false, ports: {}, urls: [], files: [], transfers: [] }),
    startFiles: () => Promise.reject(new Error('The fake engine has no file server.')),
    stopFiles: () => ok({ running: false, ports: {}, urls: [], files: [], transfers: [] }),
    prepareTransfer: () => Promise.reject(new Error('The fake engine has no file server.')),
    setProxyHold: (conn: string, from: string, on: boolean) => {
      calls.push(['setProxyHold', conn, from, on]);
      const c = connections.find((x) => x.id === conn);
      if (c?.proxy) c.proxy = { ...c.proxy, hold: { ...c.proxy.hold, [from]: on } };
      notify([{ type: 'connections', connections: connections.map((x) => ({ ...x })) }]);
      return ok(c?.proxy);
    },
    listHeldFrames: () => ok(heldFrames),
    releaseHeld: (conn: string, seqNo: number, text?: string) => {
      calls.push(['releaseHeld', conn, seqNo, text]);
      heldFrames = heldFrames.filter((f) => f.seq !== seqNo);
      const c = connections.find((x) => x.id === conn);
      if (c?.proxy) c.proxy = { ...c.proxy, heldFrames: heldFrames.length };
      notify([
        { type: 'heldFrames', frames: heldFrames },
        { type: 'connections', connections: connections.map((x) => ({ ...x })) },
      ]);
      return ok({ seq: seq, findings: [] });
    },
    dropHeld: (conn: string, seqNo: number) => {
      calls.push(['dropHeld', conn, seqNo]);
      heldFrames = heldFrames.filter((f) => f.seq !== seqNo);
      notify([{ type: 'heldFrames', frames: heldFrames }]);
      return ok(undefined);
    },
    injectFrame: (conn: string, to: string, text: string) => {
      calls.push(['injectFrame', conn, to, text]);
      return ok({ seq: seq, findings: [] });
    },
    startCheck: () => ok({ state: 'failed', cases: [], error: 'not in the fake API' }),
    answerCheckPrompt: () => ok({ state: 'idle', cases: [] }),
    stopCheck: () => ok({ state: 'idle', cases: [] }),
    getCheck: () => ok({ state: 'idle', cases: [] }),
    listSimulators: () => ok([]),
    simulatorAction: () => Promise.reject(new Error('not a simulated station')),
    startFleet: () => ok({ running: true, count: 0, open: 0, booted: 0, transactions: 0 }),
    stopFleet: () => ok({ running: false, count: 0, open: 0, booted: 0, transactions: 0 }),
    getFleet: () => ok({ running: false, count: 0, open: 0, booted: 0, transactions: 0 }),
    checkSimulatorSettings: () => ok({}),
    exportDiagnosis: (sourceId: string) => {
      calls.push(['exportDiagnosis', sourceId]);
      return ok({
        name: 'x-diagnosis.html',
        html: '<html></html>',
        captureName: 'x.ocppcap.jsonl',
        capture: '',
        written: [],
      });
    },
    regenerateCa: () => {
      calls.push(['regenerateCa']);
      return ok({ running: false, urls: [] });
    },
    subscribe: (l: (n: Any[]) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  if (opts.demo) setTimeout(demo, 300);
  if (opts.flood) {
    const { perSecond, durationMs } = opts.flood;
    const c = connection('f1', 'FLOOD-1', '1.6');
    connections.push(c);
    let sent = 0;
    w.__startFlood = (): void => {
      const start = performance.now();
      const tick = (): void => {
        const elapsed = performance.now() - start;
        const due = Math.min(
          Math.floor((elapsed / 1000) * perSecond),
          Math.floor((durationMs / 1000) * perSecond),
        );
        const batch = [];
        for (; sent < due; sent++)
          batch.push(
            frame('f1', 'station', `[2,"f${sent}","Heartbeat",{}]`, {
              type: 2,
              id: `f${sent}`,
              action: 'Heartbeat',
            }),
          );
        if (batch.length > 0) push(batch);
        if (elapsed < durationMs) setTimeout(tick, 50);
        else w.__floodDone = true;
      };
      tick();
    };
  }
}
