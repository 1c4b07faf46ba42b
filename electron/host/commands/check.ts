import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { asksForHelp, parseArgvOrThrow, type OptionTable } from '../argv';
import type { EndpointSettings, SecurityProfile } from '../../../shared/api';
import type { JsonValue } from '../../../shared/ocpp/json';
import { identityOfPath } from '../../../shared/capture/http-upgrade';
import { isOcppVersion } from '../../../shared/ocpp/versions';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { needsPerson, parseScenario } from '../../../shared/scenario/parse-scenario';
import { htmlReport } from '../../../shared/scenario/report-html';
import { junitReport } from '../../../shared/scenario/report-junit';
import { SCENARIO_SCHEMA } from '../../../shared/scenario/scenario-schema';
import type { CheckStatus, RunReport, Scenario } from '../../../shared/scenario/scenario-types';
import { BUILT_IN_SUITES, builtInSuite } from '../../../shared/scenario/suites';
import { runPassed, summaryLine } from '../../../shared/scenario/verdict';
import {
  AutoAnswerBook,
  fallbackFrom,
  holdEverythingBook,
  nextCharger,
  ChargerPeer,
  CsmsPeer,
  CheckRun,
  ConnectionHub,
  DEFAULT_ENDPOINT_SETTINGS,
  Endpoint,
  EventStream,
} from '../../engine';
import type { CheckPeer, PromptAnswer } from '../../engine';
import type { CliIo } from '../cli-context';
import { checkWsUrl } from '../cli-util';
import { EXIT } from '../exit-codes';
import { terminalProgress } from '../progress';
import { compileCapture } from './check-compile';

export const CHECK_HELP = `Usage: ocpp-scope check --list
       ocpp-scope check --suite NAME --listen [HOST:]PORT [options]    test a charger (the tool is its CSMS)
       ocpp-scope check --suite NAME --to URL [options]                 test a CSMS (the tool is a charger)
       ocpp-scope check --scenario FILE (--listen ... | --to ...)       run your own scenario the same way
       ocpp-scope check --compile CAPTURE --out FILE [--connection ID] [--side csms|station]
       ocpp-scope check --schema                                        print the scenario JSON schema

Runs a suite of cases against one live peer and prints a verdict per case: passed, failed (with the step, what was
expected and what came), inconclusive (nobody confirmed a manual step in time) or skipped. Every frame goes through
the engine, so it is analysed like any other traffic. Scenario files are described in docs/scenarios.md.

Options:
  --list                 list the built-in suites and their cases
  --suite NAME           a built-in suite (see --list)
  --scenario FILE        a scenario file (JSON)
  --listen [HOST:]PORT   wait for one charger on this port (HOST default 0.0.0.0; PORT 0 = any free port)
  --wait SEC             how long to wait for the charger (default 120)
  --to URL               the CSMS URL to connect to, ending with the charger identity
  --protocol V           OCPP version to speak (default: the scenario's)
  --user NAME --password TEXT   HTTP Basic auth for --to (user: the identity when only --password is given)
  --profile N            --listen: security profile 0-2 (1: Basic auth, 2: TLS with a generated CA + Basic auth)
  --case ID              run only this case (repeatable)
  --var NAME=VALUE       set a scenario variable, e.g. validIdTag=04A2B3C4 (repeatable)
  --timeout SEC          default seconds an expect step waits (default 30; cases may set their own)
  --no-prompt            skip cases that need a person at the charger
  --junit FILE           write a JUnit XML report (for CI)
  --html FILE            write a self-contained HTML report
  --json                 print the report as JSON instead of lines
  -h, --help             this help

Manual steps print an instruction; press Enter when done, or type s and Enter to skip the case.

Exit codes: 0 every case passed or was skipped, 1 a case failed or was inconclusive, 2 wrong command line,
3 no charger came within --wait (or the CSMS could not be reached), 4 a file could not be read or written,
130 interrupted.
`;

interface Opts {
  scenario: Scenario;
  listen?: { host: string; port: number };
  to?: string;
  protocol?: OcppVersion;
  waitSec: number;
  timeoutSec: number;
  user?: string;
  password?: string;
  profile: SecurityProfile;
  cases?: string[];
  vars: Record<string, JsonValue>;
  noPrompt: boolean;
  junit?: string;
  html?: string;
  json: boolean;
}

class UsageProblem extends Error {}
class FileProblem extends Error {}

function seconds(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageProblem(`--${name} needs a number of seconds above 0, not "${text}".`);
  return n;
}

function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port > 65535)
    throw new UsageProblem(`--listen needs [HOST:]PORT (e.g. 9000 or 127.0.0.1:9000), not "${text}".`);
  return { host: m[1] || m[2] || '0.0.0.0', port };
}

function parseVar(text: string): [string, JsonValue] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageProblem(`--var ${text}: expected NAME=VALUE.`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

async function loadScenario(values: { suite?: string; scenario?: string }, cwd: string): Promise<Scenario> {
  if ((values.suite === undefined) === (values.scenario === undefined))
    throw new UsageProblem('give either --suite NAME or --scenario FILE (see --list).');
  if (values.suite !== undefined) {
    const s = builtInSuite(values.suite);
    if (!s)
      throw new UsageProblem(
        `there is no suite "${values.suite}"; the suites are ${BUILT_IN_SUITES.map((x) => x.name).join(', ')}.`,
      );
    return s;
  }
  let text: string;
  try {
    text = await readFile(resolve(cwd, values.scenario!), 'utf8');
  } catch (e) {
    throw new FileProblem(`cannot read ${values.scenario}: ${(e as Error).message}`);
  }
  const parsed = parseScenario(text);
  if (!parsed.ok)
    throw new FileProblem(
      `${values.scenario} is not a valid scenario:\n${parsed.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
    );
  return parsed.scenario;
}

const CHECK_OPTIONS = {
  suite: { type: 'string' },
  scenario: { type: 'string' },
  listen: { type: 'string' },
  wait: { type: 'string' },
  to: { type: 'string' },
  protocol: { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  profile: { type: 'string' },
  case: { type: 'string', multiple: true },
  var: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  'no-prompt': { type: 'boolean' },
  junit: { type: 'string' },
  html: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies OptionTable;

async function parse(argv: string[], io: CliIo): Promise<Opts> {
  let values;
  try {
    ({ values } = parseArgvOrThrow(argv, CHECK_OPTIONS, { positionals: false }));
  } catch (e) {
    throw new UsageProblem((e as Error).message);
  }
  const scenario = await loadScenario(values, io.cwd);
  if ((values.listen === undefined) === (values.to === undefined))
    throw new UsageProblem('give either --listen [HOST:]PORT (test a charger) or --to URL (test a CSMS).');
  const wantRole = values.listen !== undefined ? 'csms' : 'station';
  if (scenario.role !== wantRole)
    throw new UsageProblem(
      scenario.role === 'csms'
        ? `${scenario.name} tests a charger: use --listen so the charger can connect.`
        : `${scenario.name} tests a CSMS: use --to URL so the tool connects to it.`,
    );
  if (values.to !== undefined) {
    const u = checkWsUrl(values.to);
    if ('error' in u) throw new UsageProblem(u.error);
  }
  let protocol: OcppVersion | undefined;
  if (values.protocol !== undefined) {
    const v = values.protocol.replace(/^ocpp/, '');
    if (!isOcppVersion(v)) throw new UsageProblem('--protocol must be 1.6, 2.0.1 or 2.1.');
    protocol = v;
  }
  const profile = Number(values.profile ?? '0');
  if (![0, 1, 2].includes(profile)) throw new UsageProblem('--profile must be 0, 1 or 2.');
  const cases = values.case;
  for (const id of cases ?? [])
    if (!scenario.cases.some((c) => c.id === id))
      throw new UsageProblem(`${scenario.name} has no case "${id}" (see --list).`);
  return {
    scenario,
    ...(values.listen !== undefined ? { listen: parseListen(values.listen) } : {}),
    ...(values.to !== undefined ? { to: values.to } : {}),
    ...(protocol ? { protocol } : {}),
    waitSec: seconds('wait', values.wait, 120),
    timeoutSec: seconds('timeout', values.timeout, 30),
    ...(values.user !== undefined ? { user: values.user } : {}),
    ...(values.password !== undefined ? { password: values.password } : {}),
    profile: profile as SecurityProfile,
    ...(cases ? { cases } : {}),
    vars: Object.fromEntries((values.var ?? []).map(parseVar)),
    noPrompt: values['no-prompt'] === true,
    ...(values.junit !== undefined ? { junit: values.junit } : {}),
    ...(values.html !== undefined ? { html: values.html } : {}),
    json: values.json === true,
  };
}

function listSuites(io: CliIo): number {
  for (const s of BUILT_IN_SUITES) {
    io.stdout.write(
      `${s.name}  (OCPP ${s.version}; ${s.role === 'csms' ? 'tests a charger: --listen' : 'tests a CSMS: --to'})\n  ${s.description ?? ''}\n`,
    );
    for (const c of s.cases)
      io.stdout.write(
        `    ${c.id.padEnd(34)} ${(c.octt ?? '').padEnd(12)} ${needsPerson(c) ? '[person] ' : ''}${c.title}\n`,
      );
    io.stdout.write('\n');
  }
  return EXIT.ok;
}

/** Reads answers to manual steps from stdin, one line each: empty = done, "s" = skip. */
function stdinPrompter(
  io: CliIo,
): (p: NonNullable<CheckStatus['prompt']>, signal: AbortSignal) => Promise<PromptAnswer> {
  let buffered = '';
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  let listening = false;
  const onData = (chunk: Buffer | string): void => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      lines.push(buffered.slice(0, nl).trim());
      buffered = buffered.slice(nl + 1);
    }
    for (const w of waiters.splice(0)) w();
  };
  return (p, signal) => {
    if (!listening) {
      listening = true;
      io.stdin.on('data', onData);
      // The process must be able to end once the run is over, whatever stdin does.
      signal.addEventListener('abort', () => io.stdin.off('data', onData), { once: true });
    }
    io.stderr.write(
      `\n>>> ${p.caseTitle}\n>>> ${p.text}\n>>> Press Enter when done, or type s and Enter to skip this case: `,
    );
    return new Promise((resolvePrompt) => {
      const finish = (a: PromptAnswer): void => {
        clearTimeout(timer);
        const i = waiters.indexOf(check);
        if (i >= 0) waiters.splice(i, 1);
        signal.removeEventListener('abort', onAbort);
        resolvePrompt(a);
      };
      const check = (): void => {
        const line = lines.shift();
        if (line === undefined) {
          waiters.push(check);
          return;
        }
        finish(/^s(kip)?$/i.test(line) ? 'skip' : 'done');
      };
      const onAbort = (): void => finish('timeout');
      const timer = setTimeout(() => finish('timeout'), Math.max(0, p.deadline - Date.now()));
      signal.addEventListener('abort', onAbort, { once: true });
      check();
    });
  };
}

function caseLine(c: RunReport['cases'][number]): string {
  const label = { passed: 'PASS', failed: 'FAIL', inconclusive: 'INCONCLUSIVE', skipped: 'SKIP' }[c.verdict];
  const lines = [`${label.padEnd(12)} ${c.id}${c.octt ? ` (${c.octt})` : ''}  ${c.title}`];
  if (c.failure) {
    lines.push(`             step ${c.failure.step + 1}: ${c.failure.stepText}`);
    lines.push(`             expected: ${c.failure.expected}`);
    lines.push(`             actual:   ${c.failure.actual}`);
    if (c.failure.actualFrame) lines.push(`             frame:    ${c.failure.actualFrame.slice(0, 300)}`);
  } else if (c.verdict !== 'passed' && c.reason) lines.push(`             ${c.reason}`);
  return lines.join('\n');
}

async function writeReports(o: Opts, report: RunReport, io: CliIo): Promise<void> {
  try {
    if (o.junit) await writeFile(resolve(io.cwd, o.junit), junitReport(report), 'utf8');
    if (o.html) await writeFile(resolve(io.cwd, o.html), htmlReport(report), 'utf8');
  } catch (e) {
    throw new FileProblem(`cannot write the report: ${(e as Error).message}`);
  }
}

export async function runCheck(argv: string[], io: CliIo): Promise<number> {
  if (asksForHelp(argv, CHECK_OPTIONS)) {
    io.stdout.write(CHECK_HELP);
    return EXIT.ok;
  }
  if (argv[0] === '--list') return listSuites(io);
  if (argv[0] === '--schema') {
    io.stdout.write(`${JSON.stringify(SCENARIO_SCHEMA, null, 2)}\n`);
    return EXIT.ok;
  }
  if (argv.includes('--compile')) return compileCapture(argv, io);
  let o: Opts;
  try {
    o = await parse(argv, io);
  } catch (e) {
    io.stderr.write(`ocpp-scope check: ${(e as Error).message}\n`);
    if (e instanceof FileProblem) return EXIT.file;
    io.stderr.write('Run `ocpp-scope check --help` for the options.\n');
    return EXIT.usage;
  }
  const version = o.protocol ?? o.scenario.version;
  const stream = new EventStream();
  const hub = new ConnectionHub(stream, holdEverythingBook());
  const fallbackBook = new AutoAnswerBook();
  let endpoint: Endpoint | undefined;
  let peer: CheckPeer;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  io.signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (o.listen) {
      endpoint = new Endpoint(hub);
      const settings: EndpointSettings = {
        ...DEFAULT_ENDPOINT_SETTINGS,
        host: o.listen.host,
        port: o.listen.port,
        protocols: [version],
        securityProfile: o.profile,
        acceptAnyPassword: true,
        ...(o.profile === 2 ? { tls: { generateCertificate: true } } : {}),
        pingIntervalSec: 0,
        callTimeoutSec: Math.max(o.timeoutSec, 30),
      };
      let st;
      try {
        st = await endpoint.start(settings);
      } catch (e) {
        io.stderr.write(
          `ocpp-scope check: could not listen on ${o.listen.host}:${o.listen.port}: ${(e as Error).message}\n`,
        );
        return EXIT.connection;
      }
      const scheme = o.profile === 2 ? 'wss' : 'ws';
      const host = o.listen.host.includes(':') ? `[${o.listen.host}]` : o.listen.host;
      io.stderr.write(
        `Waiting for a charger on ${scheme}://${host}:${st.port}/<identity> (OCPP ${version}) ...\n`,
      );
      if (st.caCertificatePem) io.stderr.write(`Install this CA in the charger:\n${st.caCertificatePem}\n`);
      let conn;
      try {
        conn = await nextCharger(
          stream,
          hub,
          AbortSignal.any([stop.signal, AbortSignal.timeout(o.waitSec * 1000)]),
        );
      } catch {
        if (io.signal.aborted) return EXIT.interrupted;
        io.stderr.write(`ocpp-scope check: no charger connected within ${o.waitSec} s.\n`);
        return EXIT.connection;
      }
      peer = new ChargerPeer(hub, conn);
      io.stderr.write(`Charger ${conn.identity} connected (${conn.protocol ?? 'no subprotocol'}).\n`);
    } else {
      const csms = new CsmsPeer(hub, {
        url: o.to!,
        protocols: [version],
        // --password alone logs in as the charger identity (the URL's last path segment), as profile 1 wants.
        ...(o.user !== undefined || o.password !== undefined
          ? {
              basicAuth: {
                username: o.user ?? identityOfPath(new URL(o.to!).pathname),
                password: o.password ?? '',
              },
            }
          : {}),
        callTimeoutSec: Math.max(o.timeoutSec, 30),
      });
      const c = await csms.connect();
      if (typeof c === 'string') {
        io.stderr.write(`ocpp-scope check: ${c}\n`);
        return EXIT.connection;
      }
      peer = csms;
    }
    const prompter = o.noPrompt ? undefined : stdinPrompter(io);
    const progress = terminalProgress(io.stderr, o.scenario.name);
    const run = new CheckRun(o.scenario, peer, {
      ...(o.cases ? { cases: o.cases } : {}),
      noPrompt: o.noPrompt,
      ...(prompter ? { prompt: prompter } : {}),
      fallbackAnswer: (v, id, action) => fallbackFrom(fallbackBook, v)(id, action),
      signal: stop.signal,
      defaultTimeoutSec: o.timeoutSec,
      vars: o.vars,
      tool: 'OCPP Scope',
      onStatus: (st) => {
        const i = st.cases.findIndex((c) => c.state === 'running');
        if (i >= 0)
          progress.update(
            `case ${i + 1} of ${st.cases.length}, ${st.cases[i]!.id}: ${st.cases[i]!.detail ?? ''}`,
          );
      },
    });
    const report = await run.run();
    progress.done();
    if (o.json) io.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      for (const c of report.cases) io.stdout.write(`${caseLine(c)}\n`);
      io.stdout.write(`${summaryLine(report)}\n`);
    }
    await writeReports(o, report, io);
    if (io.signal.aborted) return EXIT.interrupted;
    return runPassed(report) ? EXIT.ok : EXIT.problem;
  } catch (e) {
    if (e instanceof FileProblem) {
      io.stderr.write(`ocpp-scope check: ${e.message}\n`);
      return EXIT.file;
    }
    throw e;
  } finally {
    stop.abort();
    io.signal.removeEventListener('abort', onAbort);
    await Promise.all(hub.list().map((c) => c.close(1000, 'check done').catch(() => undefined)));
    await endpoint?.stop();
  }
}
