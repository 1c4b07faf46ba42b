import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MemorySource } from '../../../electron/engine/capture/memory-source';
import { exportToString } from '../../../electron/engine/capture/export-source';
import { openSourceData, openSourceFile } from '../../../electron/engine/capture/open-source';
import type { EventSource } from '../../../electron/engine/capture/event-source';
import type { FrameEvent, NoteEvent, ScopeEvent } from '../../../shared/capture/events';
import { bootWatch } from '../../support/test-observer';
import { captureLoopback } from './pcap/loopback-capture';
import { Harness } from './engine-harness';
import { suiteTempDir } from '../../support/temp-dirs';

/**
 * One analysis pipeline for every source: a session taken live on the endpoint (a raw ws charger on loopback), then
 * exported to HAR, exported to a capture, and captured by tcpdump as pcap, gives the same frames with the same
 * findings (codes and JSON pointers) through every import path, behaviour rules included.
 */

const dir = suiteTempDir('parity');
const observers = [bootWatch];

interface FrameView {
  sender: string;
  text: string;
  type?: number;
  id?: string;
  action?: string;
  problem?: string;
  paired: boolean;
  findings: string[];
}

const view = (events: readonly ScopeEvent[]): FrameView[] =>
  events
    .filter((e): e is FrameEvent => e.kind === 'frame')
    .map((e) => ({
      sender: e.sender,
      text: e.text,
      ...(e.msg ? { type: e.msg.type, id: e.msg.id } : {}),
      ...(e.msg?.action !== undefined ? { action: e.msg.action } : {}),
      ...(e.problem ? { problem: e.problem.code } : {}),
      // A response names its request (live, the request learns of its answer only in readers).
      paired: e.pair?.rttMs !== undefined,
      findings: e.findings.map((f) => `${f.code}${f.path ? ` ${f.path}` : ''}`),
    }));

async function all(source: EventSource): Promise<ScopeEvent[]> {
  await source.whenIndexed();
  const out: ScopeEvent[] = [];
  for await (const e of source.events()) out.push(e);
  return out;
}

const h = new Harness();
let live: ScopeEvent[] = [];
let pcap: Uint8Array;

/** Sends `text` from the charger and waits until the endpoint recorded it (and its answer, for a CALL it answers). */
async function session(url: string): Promise<void> {
  const ws = new WebSocket(url, ['ocpp1.6']);
  const received: string[] = [];
  ws.on('message', (d) => received.push(d.toString()));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const conn = h.hub.list()[0]!;
  const recorded = (text: string, sender: 'station' | 'csms'): Promise<unknown> =>
    h.waitFor((e) => e.kind === 'frame' && e.sender === sender && e.text === text, 15_000, text);
  const answered = (id: string): Promise<unknown> =>
    h.waitFor(
      (e) => e.kind === 'frame' && e.sender === 'csms' && e.msg?.id === id && e.msg.type !== 2,
      15_000,
      `answer to ${id}`,
    );
  const station = async (text: string, answeredId?: string): Promise<void> => {
    ws.send(text);
    await recorded(text, 'station');
    if (answeredId !== undefined) await answered(answeredId);
  };

  await station('[2,"b1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]', 'b1');
  // Three schema findings, each with its pointer.
  await station('[2,"b2","BootNotification",{"chargePointVendor":5,"extra":true}]', 'b2');
  await station('[2,"h1","Heartbeat",{}]', 'h1');
  // The test rule names a second Heartbeat.
  await station('[2,"h2","Heartbeat",{}]', 'h2');
  // The CSMS (the tool) sends two CALLs with one id: duplicate-message-id; the charger answers one twice.
  const call = '[2,"d1","GetConfiguration",{}]';
  conn.send(call);
  conn.send(call);
  await new Promise<void>((resolve) => {
    const check = (): void => {
      if (received.filter((r) => r === call).length === 2) resolve();
      else ws.once('message', check);
    };
    check();
  });
  await station('[3,"d1",{"configurationKey":[]}]');
  await station('[3,"d1",{"unknownKey":[]}]');
  await station('[3,"nobody",{}]');
  // A malformed CALL (the endpoint answers it with a CALLERROR) and a frame that is not JSON.
  await station('[2,"m1","Heartbeat"]', 'm1');
  await station('[2,"x1",');
  // An action the charger never sends.
  await station('[2,"r1","RemoteStartTransaction",{"idTag":"T"}]', 'r1');
  const closed = new Promise((resolve) => ws.once('close', resolve));
  ws.close(1000, 'done');
  await closed;
  await h.waitFor((e) => e.kind === 'closed', 15_000, 'closed');
}

beforeAll(async () => {
  h.hub.observers = observers;
  const url = await h.listen({ protocols: ['1.6'] });
  const port = Number(new URL(url).port);
  const file = join(dir, 'session.pcap');
  await captureLoopback(file, [port], () => session(`${url}CP-PARITY`));
  pcap = readFileSync(file);
  live = [...h.events];
}, 60_000);

afterAll(() => h.close());

describe('one analysis pipeline: live, HAR, capture and pcap agree', () => {
  it('live: the session has findings from every stage', () => {
    const frames = view(live);
    const codes = frames.flatMap((f) => f.findings);
    expect(codes).toEqual(
      expect.arrayContaining([
        'schema-type /chargePointVendor',
        'schema-required /chargePointModel',
        'schema-additional-property /extra',
        'test-second-heartbeat',
        'duplicate-message-id',
        'duplicate-response',
        'response-to-unknown-id',
        'frame-wrong-element-count',
        'frame-not-json',
        'wrong-direction',
      ]),
    );
    expect(frames.filter((f) => f.findings.length > 0)).toHaveLength(8);
  });

  it('HAR export, imported back: the same frames with the same findings', async () => {
    const source = new MemorySource('live', 'live', 'live', live, [], []);
    const har = await exportToString(source, { format: 'har', redact: false, tool: 'test' });
    const imported = await all(openSourceData('s.har', Buffer.from(har.data), 'har', { observers }));
    expect(view(imported)).toEqual(view(live));
    // Opened from disk it is read in pieces, one entry at a time: the same.
    const path = join(dir, 's.har');
    writeFileSync(path, har.data);
    const streamed = await openSourceFile(path, { id: 'har-file', annotate: { observers } });
    expect(view(await all(streamed))).toEqual(view(live));
    expect(streamed.info().findings).toEqual([]);
    await streamed.close?.();
  });

  it('capture export, reopened from disk: the same frames with the same findings', async () => {
    const source = new MemorySource('live', 'live', 'live', live, [], []);
    const cap = await exportToString(source, { format: 'capture', redact: false, tool: 'test' });
    const path = join(dir, 's.ocppcap.jsonl');
    writeFileSync(path, cap.data);
    const reopened = await openSourceFile(path, { id: 'cap' });
    expect(view(await all(reopened))).toEqual(view(live));
    await reopened.close?.();
  });

  it('a capture whose frames lack their analysis (another tool wrote it) gets it on import', async () => {
    const bare = live.map((e) =>
      e.kind === 'frame'
        ? {
            kind: e.kind,
            seq: e.seq,
            t: e.t,
            mono: e.mono,
            conn: e.conn,
            sender: e.sender,
            text: e.text,
            findings: [],
          }
        : e,
    );
    const text = `${JSON.stringify({ format: 'ocpp-scope-capture', version: 1, tool: 'other', created: new Date().toISOString(), connections: [] })}\n${bare.map((e) => JSON.stringify(e)).join('\n')}\n`;
    const imported = await all(
      openSourceData('bare.ocppcap.jsonl', Buffer.from(text), 'bare', { observers }),
    );
    expect(view(imported)).toEqual(view(live));
    // Opened from disk, the same.
    const path = join(dir, 'bare.ocppcap.jsonl');
    writeFileSync(path, text);
    expect(view(await all(await openSourceFile(path, { id: 'bare-file', annotate: { observers } })))).toEqual(
      view(live),
    );
  });

  it('pcap taken by tcpdump during the session: the same frames with the same findings', async () => {
    const imported = await all(openSourceData('s.pcap', pcap, 'pcap', { observers }));
    expect(view(imported)).toEqual(view(live));
  });

  it('imports put what the rules conclude from time passing at its place, as engine notes', async () => {
    const source = new MemorySource('live', 'live', 'live', live, [], []);
    const har = JSON.parse(
      (await exportToString(source, { format: 'har', redact: false, tool: 'test' })).data,
    ) as {
      log: {
        entries: { _webSocketMessages: { type: string; time: number; opcode: number; data: string }[] }[];
      };
    };
    // An unanswered BootNotification, then a Heartbeat 5 s later: the rule concludes before the Heartbeat.
    const msgs = har.log.entries[0]!._webSocketMessages;
    const t0 = msgs[0]!.time;
    har.log.entries[0]!._webSocketMessages = [
      {
        type: 'send',
        time: t0,
        opcode: 1,
        data: '[2,"b","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]',
      },
      { type: 'send', time: t0 + 5, opcode: 1, data: '[2,"h","Heartbeat",{}]' },
    ];
    const events = await all(openSourceData('n.har', Buffer.from(JSON.stringify(har)), 'n', { observers }));
    const kinds = events.map((e) => e.kind);
    expect(kinds).toEqual(['opened', 'frame', 'note', 'frame']);
    const note = events[2] as NoteEvent;
    expect(note.source).toBe('engine');
    expect(note.findings?.map((f) => [f.code, f.related])).toEqual([['test-boot-unanswered', [1]]]);
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3]);
  });
});
