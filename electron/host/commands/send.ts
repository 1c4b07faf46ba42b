import { readFile } from 'node:fs/promises';
import type { Finding, FrameEvent, HandshakeFailure, ScopeEvent } from '../../../shared/capture/events';
import { buildCall, newMessageId } from '../../../shared/ocpp/frame';
import { ConnectionHub, NotOpenError, Station } from '../../engine';
import type { CliIo } from '../cli-context';
import { fail } from '../cli-util';
import { EXIT } from '../exit-codes';
import { parseStationArgs, STATION_CLIENT_HELP, stationSettingsFrom } from './station-options';
import type { StationSettings } from '../../../shared/api';

export const SEND_HELP = `Usage: ocpp-scope send <url> <frame>  [options]
       ocpp-scope send <url> --action NAME [--payload JSON] [options]

Connects to <url> as a charging station (the identity is the last path segment), sends one frame exactly as
written (valid or not), waits for the answer when the frame is a CALL, prints it, and disconnects.
<frame> may be "-" to read the frame from stdin, or @FILE to read it from a file.

Options:
  --action NAME        build a CALL with a fresh message id instead of giving the frame
  --payload JSON       the CALL's payload (default {})
${STATION_CLIENT_HELP}
  --timeout SEC        how long to wait for the connection and for the answer (default 10)
  --json               print one JSON line per step (opened, sent, received, failed)
  -h, --help           this help

The handshake is the engine's station handshake (the same as \`connect\`), and the frame sent is analysed by
the same pipeline as live traffic (framing, schema for the negotiated version). Calls the CSMS makes meanwhile
are answered automatically.

Exit codes: 0 answered with CALLRESULT (or nothing to wait for), 1 answered with an error or not at all,
2 wrong command line, 3 could not connect, 4 frame file missing.
`;

type Step =
  | { step: 'opened'; url: string; protocol: string }
  | { step: 'sent'; text: string; findings: Finding[] }
  | { step: 'received'; text: string }
  | { step: 'failed'; code: string; message: string; stage?: string };

/** The message id of a CALL (or SEND) written by hand, if the text has one; nothing else is assumed about it. */
function callIdOf(text: string): { id: string; waits: boolean } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && typeof value[1] === 'string' && (value[0] === 2 || value[0] === 6)) {
      return { id: value[1], waits: value[0] === 2 };
    }
  } catch {
    // Invalid frames are sent anyway: a diagnostic tool must be able to.
  }
  return undefined;
}

/** 3 or 4 when `e` is the CSMS's CALLRESULT or CALLERROR to message `id`. */
function responseTo(e: FrameEvent, id: string): 3 | 4 | undefined {
  const m = e.msg;
  if (e.sender !== 'csms' || !m || m.id !== id) return undefined;
  return m.type === 3 || m.type === 4 ? m.type : undefined;
}

interface SendArgs {
  settings: StationSettings;
  text: string;
  timeoutSec: number;
  json: boolean;
}

/** The command line as settings and the frame; a string is the usage problem, a number an exit code. */
async function sendArgs(argv: string[], io: CliIo): Promise<SendArgs | string | number> {
  let parsed: ReturnType<typeof parseSendArgs>;
  try {
    parsed = parseSendArgs(argv);
  } catch (error) {
    return `${(error as Error).message}; see \`ocpp-scope send --help\`.`;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(SEND_HELP);
    return EXIT.ok;
  }
  const [url, frameArg, ...extra] = positionals;
  if (url === undefined) return 'the URL is missing; see `ocpp-scope send --help`.';
  if (extra.length > 0) return `unexpected argument "${extra[0]}"; quote the frame so it is one argument.`;
  let settings: StationSettings;
  try {
    settings = stationSettingsFrom(url, values);
  } catch (error) {
    return (error as Error).message;
  }
  const timeoutSec = values.timeout === undefined ? 10 : Number(values.timeout);
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0)
    return `--timeout must be a positive number of seconds.`;
  // No call timeout on the connection: this command waits for the answer itself (and says so on stderr).
  settings.callTimeoutSec = 0;
  let text: string;
  if (values.action !== undefined) {
    if (frameArg !== undefined) return 'give either a frame or --action, not both.';
    let payload: unknown = {};
    if (values.payload !== undefined) {
      try {
        payload = JSON.parse(values.payload);
      } catch {
        return '--payload is not valid JSON.';
      }
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
        return '--payload must be a JSON object.';
    }
    text = buildCall(newMessageId(), values.action, payload as Parameters<typeof buildCall>[2]);
  } else if (frameArg === undefined) {
    return 'the frame is missing; give it as an argument, "-" for stdin, @FILE, or use --action.';
  } else if (frameArg === '-') {
    text = (await readAll(io.stdin)).replace(/\r?\n$/, '');
  } else if (frameArg.startsWith('@')) {
    try {
      text = (await readFile(frameArg.slice(1), 'utf8')).replace(/\r?\n$/, '');
    } catch {
      fail(io, 'send', `could not read the frame file ${frameArg.slice(1)}.`);
      return EXIT.file;
    }
  } else {
    text = frameArg;
  }
  return { settings, text, timeoutSec, json: values.json === true };
}

function parseSendArgs(argv: string[]) {
  return parseStationArgs(argv, {
    action: { type: 'string' },
    payload: { type: 'string' },
    timeout: { type: 'string' },
  });
}

export async function runSend(argv: string[], io: CliIo): Promise<number> {
  const args = await sendArgs(argv, io);
  if (typeof args === 'number') return args;
  if (typeof args === 'string') {
    fail(io, 'send', args);
    return EXIT.usage;
  }
  const { settings, text, timeoutSec, json } = args;

  const print = (step: Step): void => {
    if (json) {
      io.stdout.write(`${JSON.stringify(step)}\n`);
      return;
    }
    if (step.step === 'opened')
      io.stdout.write(`connected to ${step.url} (${step.protocol || 'no subprotocol'})\n`);
    else if (step.step === 'sent') {
      io.stdout.write(`-> ${step.text}\n`);
      for (const f of step.findings)
        io.stdout.write(`   ! ${f.severity} ${f.code}${f.path ? ` at ${f.path}` : ''}: ${f.message}\n`);
    } else if (step.step === 'received') io.stdout.write(`<- ${step.text}\n`);
  };
  const failed = (
    f: HandshakeFailure | { code: string; message: string; stage?: string },
    exit: number,
  ): number => {
    if (json)
      print({ step: 'failed', code: f.code, message: f.message, ...(f.stage ? { stage: f.stage } : {}) });
    fail(io, 'send', f.message);
    return exit;
  };

  const hub = new ConnectionHub();
  const station = new Station(hub, { handshakeTimeoutSec: timeoutSec });
  const connecting = station.connect(settings);
  const aborted = new Promise<'aborted'>((resolve) => {
    if (io.signal.aborted) resolve('aborted');
    io.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  const first = await Promise.race([connecting, aborted]);
  if (first === 'aborted') {
    void connecting.then((c) => c.close(1000));
    return EXIT.interrupted;
  }
  const conn = first;
  if (conn.state !== 'open') {
    return failed(conn.failure ?? { code: 'connect-failed', message: 'could not connect.' }, EXIT.connection);
  }
  // A missing or unexpected subprotocol is a handshake failure of the station (as for connect).
  print({ step: 'opened', url: new URL(settings.url).href, protocol: conn.protocol ?? '' });

  const call = callIdOf(text);
  const outcome = new Promise<number>((resolve) => {
    let settled = false;
    const done = (code: number): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      unsubscribe();
      resolve(code);
    };
    // Armed before sending, so the wait covers the whole exchange.
    const timer = call?.waits
      ? setTimeout(
          () =>
            done(
              failed(
                { code: 'call-timeout', message: `no answer to message ${call.id} within ${timeoutSec} s.` },
                EXIT.problem,
              ),
            ),
          timeoutSec * 1000,
        )
      : undefined;
    const unsubscribe = hub.stream.subscribe((e: ScopeEvent) => {
      if (e.conn !== conn.id) return;
      if (e.kind === 'frame' && e.sender === 'csms') {
        print({ step: 'received', text: e.text });
        const answer = call?.waits ? responseTo(e, call.id) : undefined;
        if (answer === 3) done(EXIT.ok);
        else if (answer === 4) done(EXIT.problem);
      } else if (e.kind === 'closed') {
        done(
          failed(
            {
              code: 'closed',
              message: `the server closed the connection (${e.code}${e.reason.length ? ` ${e.reason}` : ''}) before answering.`,
            },
            EXIT.problem,
          ),
        );
      }
    });
    void aborted.then(() => done(EXIT.interrupted));
    let sent: FrameEvent;
    try {
      sent = conn.send(text);
    } catch (error) {
      const why = error instanceof NotOpenError ? 'the connection is not open' : (error as Error).message;
      done(failed({ code: 'send-failed', message: `the frame could not be sent: ${why}.` }, EXIT.connection));
      return;
    }
    print({ step: 'sent', text, findings: sent.findings });
    if (!call?.waits) done(EXIT.ok);
  });
  const code = await outcome;
  await conn.close(1000);
  return code;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
