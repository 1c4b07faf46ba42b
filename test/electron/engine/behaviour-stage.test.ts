import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { FrameEvent, NoteEvent } from '../../../shared/capture/events';
import { bootWatch } from '../../support/test-observer';
import { Harness } from './engine-harness';

/** The behaviour-rules stage on live traffic: the hub's observers run on every connection of the endpoint. */

let h: Harness | undefined;
afterEach(async () => h?.close());

describe('behaviour rules on live connections', () => {
  it("appends a rule's findings to the frame, and what it concludes at the close becomes an engine note after it", async () => {
    h = new Harness();
    h.hub.observers = [bootWatch];
    const url = await h.listen({ protocols: ['1.6'] });
    const ws = new WebSocket(`${url}CP-RULES`, ['ocpp1.6']);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    for (const id of ['h1', 'h2']) {
      ws.send(`[2,"${id}","Heartbeat",{}]`);
      await h.waitFor((e) => e.kind === 'frame' && e.sender === 'csms' && e.msg?.id === id, 15_000, id);
    }
    const second = h.of('frame').find((e) => e.msg?.id === 'h2' && e.sender === 'station') as FrameEvent;
    const first = h.of('frame').find((e) => e.msg?.id === 'h1' && e.sender === 'station') as FrameEvent;
    expect(second.findings.map((f) => [f.code, f.related])).toEqual([['test-second-heartbeat', [first.seq]]]);

    // The tool asks for a boot the charger never answers; the connection ends: the rule's last word is a note.
    const conn = h.hub.list()[0]!;
    const boot = conn.send('[2,"tb","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]');
    ws.close(1000);
    const closed = await h.waitFor((e) => e.kind === 'closed', 15_000, 'closed');
    const note = await h.waitFor<NoteEvent>(
      (e) => e.kind === 'note' && (e.findings ?? []).some((f) => f.code === 'test-boot-unanswered'),
      15_000,
      'note',
    );
    expect(note.source).toBe('engine');
    expect(note.seq).toBeGreaterThan(closed.seq);
    expect(note.findings?.[0]?.related).toEqual([boot.seq]);
    expect(conn.status().findings).toBeGreaterThanOrEqual(2);
  });

  it('without rules, nothing is added', async () => {
    h = new Harness();
    h.hub.observers = [];
    const url = await h.listen({ protocols: ['1.6'] });
    const ws = new WebSocket(`${url}CP-NORULES`, ['ocpp1.6']);
    await new Promise((resolve) => ws.once('open', resolve));
    for (const id of ['h1', 'h2']) {
      ws.send(`[2,"${id}","Heartbeat",{}]`);
      await h.waitFor((e) => e.kind === 'frame' && e.sender === 'csms' && e.msg?.id === id, 15_000, id);
    }
    ws.close(1000);
    await h.waitFor((e) => e.kind === 'closed', 15_000, 'closed');
    expect(h.findingCodes()).toEqual([]);
  });
});
