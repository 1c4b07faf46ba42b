import { PassThrough } from 'node:stream';
import type { CliIo } from '../../../../electron/host/cli-context';
import { describe, expect, it } from 'vitest';
import { runConnect } from '../../../../electron/host/commands/connect';
import { Harness } from '../../engine/engine-harness';
import { cleanupsAfterEach } from '../../../support/cleanups';

const cleanups = cleanupsAfterEach();

function io(stdin: PassThrough) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (t: string) => out.push(...t.replace(/\n$/, '').split('\n')) },
      stderr: { write: (t: string) => err.push(...t.replace(/\n$/, '').split('\n')) },
      stdin,
      signal: new AbortController().signal,
      env: {},
      cwd: process.cwd(),
    } satisfies CliIo,
  };
}

describe('ocpp-scope connect', () => {
  it('sends each stdin line as a frame, waits for CALL answers, answers the CSMS, exits when stdin ends', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen();
    const stdin = new PassThrough();
    const t = io(stdin);
    const done = runConnect([url + 'CLI-ST', '--protocol', 'ocpp1.6'], t.io);
    // The CSMS calls the station while it is connected: the auto-answer replies.
    const opened = await h.waitFor((e) => e.kind === 'opened' && e.connection.role === 'endpoint');
    const csmsConn = h.hub.get(opened.conn)!;
    const outcome = await csmsConn.sendCall('GetConfiguration', {}, 5);
    expect(outcome.response?.msg?.type).toBe(3);
    stdin.write('[2,"c1","Heartbeat",{}]\n');
    stdin.write('[2,"c2","Authorize",{"idTag":"T"}]\n');
    stdin.end('not json at all\n');
    expect(await done).toBe(0);
    const text = t.out.join('\n');
    expect(text).toMatch(/station> \[2,"c1","Heartbeat",\{\}\]/);
    expect(text).toMatch(/csms> \[3,"c1",\{"currentTime":/);
    expect(text).toMatch(/csms> \[3,"c2",\{"idTagInfo":\{"status":"Accepted"\}\}\]/);
    expect(text).toContain('frame-not-json');
    // Our endpoint saw the station's frames in order.
    const fromStation = h
      .of('frame', opened.conn)
      .filter((e) => e.sender === 'station')
      .map((e) => e.text);
    expect(fromStation).toEqual([
      expect.stringMatching(/^\[3,/),
      '[2,"c1","Heartbeat",{}]',
      '[2,"c2","Authorize",{"idTag":"T"}]',
      'not json at all',
    ]);
  });

  it('a connection failure prints the diagnosis and exits 3', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen({ securityProfile: 1, acceptAnyPassword: false, passwords: { X: 'a' } });
    const stdin = new PassThrough();
    const t = io(stdin);
    expect(await runConnect([url + 'X', '--password', 'b'], t.io)).toBe(3);
    expect(t.err[0]).toContain('[auth-failed]');
  });

  it('a CALL answered with a CALLERROR makes the exit code 1', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen();
    const stdin = new PassThrough();
    const t = io(stdin);
    const done = runConnect([url + 'E', '--protocol', '2.0.1'], t.io);
    stdin.end('[2,"e1","NoSuchAction",{}]\n');
    expect(await done).toBe(1);
    expect(t.out.join('\n')).toContain('NotImplemented');
  });

  it('waits for the answers to malformed CALLs before it exits, and pairs them', async () => {
    const h = new Harness();
    cleanups.push(() => h.close());
    const url = await h.listen();
    const stdin = new PassThrough();
    const t = io(stdin);
    const done = runConnect([url + 'MAL', '--protocol', 'ocpp1.6'], t.io);
    stdin.write('[2,"n1","Heartbeat",null]\n');
    stdin.write('[2,"n2","Heartbeat",{},{}]\n');
    stdin.end(`[2,"${'y'.repeat(37)}","Heartbeat",{}]\n`);
    // Each malformed CALL is answered by the endpoint with a CALLERROR: exit 1, and every answer was printed.
    expect(await done).toBe(1);
    const text = t.out.join('\n');
    for (const id of ['n1', 'n2', 'y'.repeat(37)]) expect(text).toContain(`csms> [4,"${id}"`);
    expect(text).not.toContain('response-to-unknown-id');
  });
});
