import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import {
  diagnoseHttpStatus,
  diagnoseSocketError,
  noSubprotocol,
  unexpectedSubprotocol,
} from '../../engine/diagnose';
import type { Finding, HandshakeFailure } from '../../../shared/capture/events';
import { analyzeFrame } from '../../../shared/ocpp/analyze';
import { buildCall, newMessageId } from '../../../shared/ocpp/frame';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { OCPP_VERSIONS, SUBPROTOCOL_OF, versionOfSubprotocol } from '../../../shared/ocpp/versions';
import type { CliIo } from '../cli-context';
import { checkWsUrl, fail } from '../cli-util';
import { EXIT } from '../exit-codes';

export const SEND_HELP = `Usage: ocpp-scope send <url> <frame>  [options]
       ocpp-scope send <url> --action NAME [--payload JSON] [options]

Connects to <url> as a charging station (the identity is the last path segment), sends one frame exactly as
written (valid or not), waits for the answer when the frame is a CALL, prints it, and disconnects.
<frame> may be "-" to read the frame from stdin, or @FILE to read it from a file.

Options:
  --action NAME       build a CALL with a fresh message id instead of giving the frame
  --payload JSON      the CALL's payload (default {})
  --protocol V        subprotocol to offer: 1.6, 2.0.1, 2.1 (repeatable; default all three)
  --user NAME         HTTP Basic auth user (usually the identity)
  --password TEXT     HTTP Basic auth password
  --insecure          do not verify the server's TLS certificate (recorded as insecure)
  --timeout SEC       how long to wait for the connection and for the answer (default 10)
  --json              print one JSON line per step (opened, sent, received, failed)
  -h, --help          this help

Exit codes: 0 answered with CALLRESULT (or nothing to wait for), 1 answered with an error or not at all,
2 wrong command line, 3 could not connect, 4 frame file missing.
`;

type Step =
  | { step: 'opened'; url: string; protocol: string }
  | { step: 'sent'; text: string; findings: Finding[] }
  | { step: 'received'; text: string }
  | { step: 'failed'; code: string; message: string; stage?: string };

function parseVersion(text: string): OcppVersion | undefined {
  const v = text.startsWith('ocpp')
    ? versionOfSubprotocol(text)
    : (OCPP_VERSIONS as readonly string[]).includes(text)
      ? (text as OcppVersion)
      : undefined;
  return v;
}

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

/** What is wrong with the frame as sent (framing, action, schema for the negotiated version): sent anyway. */
function sentFindings(text: string, subprotocol: string): Finding[] {
  const version = versionOfSubprotocol(subprotocol);
  const r = analyzeFrame({
    text,
    sender: 'station',
    conn: '',
    seq: 0,
    mono: 0,
    ...(version ? { version } : {}),
  });
  const p = r.problem;
  const framing: Finding[] = p
    ? [{ code: `frame-${p.code}`, severity: 'error', message: p.message, errorCode: p.errorCode }]
    : [];
  return [...framing, ...r.findings];
}

function responseTo(text: string, id: string): 3 | 4 | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value[1] === id && (value[0] === 3 || value[0] === 4)) return value[0];
  } catch {
    // Not JSON: printed, not matched.
  }
  return undefined;
}

export async function runSend(argv: string[], io: CliIo): Promise<number> {
  let values: {
    action?: string;
    payload?: string;
    protocol?: string[];
    user?: string;
    password?: string;
    insecure?: boolean;
    timeout?: string;
    json?: boolean;
    help?: boolean;
  };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      options: {
        action: { type: 'string' },
        payload: { type: 'string' },
        protocol: { type: 'string', multiple: true },
        user: { type: 'string' },
        password: { type: 'string' },
        insecure: { type: 'boolean' },
        timeout: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    fail(io, 'send', `${(error as Error).message}; see \`ocpp-scope send --help\`.`);
    return EXIT.usage;
  }
  if (values.help) {
    io.stdout.write(SEND_HELP);
    return EXIT.ok;
  }
  const usage = (message: string): number => {
    fail(io, 'send', message);
    return EXIT.usage;
  };
  const [urlText, frameArg, ...extra] = positionals;
  if (urlText === undefined) return usage('the URL is missing; see `ocpp-scope send --help`.');
  if (extra.length > 0)
    return usage(`unexpected argument "${extra[0]}"; quote the frame so it is one argument.`);
  const checked = checkWsUrl(urlText);
  if ('error' in checked) return usage(checked.error);
  const url = checked.url;

  const timeoutSec = values.timeout === undefined ? 10 : Number(values.timeout);
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0)
    return usage(`--timeout must be a positive number of seconds.`);

  const versions: OcppVersion[] = [];
  for (const p of values.protocol ?? []) {
    const v = parseVersion(p);
    if (!v) return usage(`unknown OCPP version "${p}"; use 1.6, 2.0.1 or 2.1.`);
    versions.push(v);
  }
  const offered = (versions.length > 0 ? versions : [...OCPP_VERSIONS]).map((v) => SUBPROTOCOL_OF[v]);

  let text: string;
  if (values.action !== undefined) {
    if (frameArg !== undefined) return usage('give either a frame or --action, not both.');
    let payload: unknown = {};
    if (values.payload !== undefined) {
      try {
        payload = JSON.parse(values.payload);
      } catch {
        return usage('--payload is not valid JSON.');
      }
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        return usage('--payload must be a JSON object.');
      }
    }
    text = buildCall(newMessageId(), values.action, payload as Parameters<typeof buildCall>[2]);
  } else if (frameArg === undefined) {
    return usage('the frame is missing; give it as an argument, "-" for stdin, @FILE, or use --action.');
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

  const print = (step: Step): void => {
    if (values.json) {
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
    if (values.json)
      print({ step: 'failed', code: f.code, message: f.message, ...(f.stage ? { stage: f.stage } : {}) });
    fail(io, 'send', f.message);
    return exit;
  };

  const headers: Record<string, string> = {};
  if (values.user !== undefined || values.password !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${values.user ?? ''}:${values.password ?? ''}`, 'utf8').toString('base64')}`;
  }
  const secure = url.protocol === 'wss:';
  const port = Number(url.port || (secure ? 443 : 80));
  const socket = new WebSocket(url, offered, {
    headers,
    perMessageDeflate: false,
    handshakeTimeout: timeoutSec * 1000,
    rejectUnauthorized: !values.insecure,
  });

  return new Promise<number>((resolve) => {
    let tcpConnected = false;
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (code: number): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      io.signal.removeEventListener('abort', onAbort);
      if (socket.readyState === WebSocket.OPEN) {
        socket.once('close', () => resolve(code));
        socket.close(1000);
        // A peer that never answers the close must not keep us waiting.
        setTimeout(() => {
          socket.terminate();
          resolve(code);
        }, 2000).unref();
      } else {
        socket.terminate();
        resolve(code);
      }
    };
    const onAbort = (): void => finish(EXIT.interrupted);
    io.signal.addEventListener('abort', onAbort, { once: true });

    socket.on('upgrade', () => {
      tcpConnected = true;
    });
    socket.on('unexpected-response', (_req, res: IncomingMessage) => {
      finish(
        failed(diagnoseHttpStatus(res.statusCode ?? 0, res.statusMessage ?? '', false), EXIT.connection),
      );
    });
    socket.on('error', (error) => {
      if (settled) return;
      const f = diagnoseSocketError(error, {
        host: url.hostname,
        port,
        tcpConnected,
        tlsDone: false,
        secure,
        timeoutSec,
        clientCertificate: false,
      });
      finish(failed(f, EXIT.connection));
    });
    socket.on('open', () => {
      const chosen = socket.protocol;
      print({ step: 'opened', url: url.href, protocol: chosen });
      if (!chosen) io.stderr.write(`ocpp-scope send: warning: ${noSubprotocol(offered).message}\n`);
      else if (!offered.includes(chosen))
        io.stderr.write(`ocpp-scope send: warning: ${unexpectedSubprotocol(chosen, offered).message}\n`);
      const call = callIdOf(text);
      socket.send(text, (error) => {
        if (error) {
          finish(
            failed(
              { code: 'send-failed', message: `the frame could not be sent: ${error.message}.` },
              EXIT.connection,
            ),
          );
          return;
        }
        print({ step: 'sent', text, findings: sentFindings(text, chosen) });
        if (!call?.waits) finish(EXIT.ok);
      });
      if (call?.waits) {
        timer = setTimeout(() => {
          finish(
            failed(
              { code: 'call-timeout', message: `no answer to message ${call.id} within ${timeoutSec} s.` },
              EXIT.problem,
            ),
          );
        }, timeoutSec * 1000);
      }
      socket.on('message', (data, isBinary) => {
        const received = isBinary ? Buffer.from(data as Buffer).toString('base64') : data.toString();
        print({ step: 'received', text: received });
        if (call?.waits && !isBinary) {
          const answer = responseTo(received, call.id);
          if (answer === 3) finish(EXIT.ok);
          else if (answer === 4) finish(EXIT.problem);
        }
      });
    });
    socket.on('close', (code, reason) => {
      if (settled) return;
      finish(
        failed(
          {
            code: 'closed',
            message: `the server closed the connection (${code}${reason.length ? ` ${reason.toString()}` : ''}) before answering.`,
          },
          EXIT.problem,
        ),
      );
    });
  });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
