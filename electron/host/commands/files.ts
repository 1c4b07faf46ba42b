import { resolve } from 'node:path';
import { parseArgvOrThrow } from '../argv';
import type { FilesSettings } from '../../../shared/api';
import type { TransferProtocol } from '../../../shared/capture/events';
import type { CertificateBundle } from '../../engine';
import { localCa, EventStream, FileServer, PROTOCOLS, defaultFilesSettings, transferUrl } from '../../engine';
import type { CliIo } from '../cli-context';
import { say, untilAborted, warn } from '../cli-context';
import { checkPort, cliDataDir } from '../cli-util';
import { EXIT } from '../exit-codes';
import { eventPrinter } from './event-printer';

export const FILES_HELP = `Usage: ocpp-scope files --dir DIR [options]

Runs the file server chargers upload diagnostics and logs to and download firmware from: HTTP and HTTPS (PUT,
multipart POST, GET with ranges) and FTP and FTPS (AUTH TLS or implicit TLS, passive mode). Uploads land in
DIR/<charger identity>/; files at the top of DIR are served as firmware. The first lines printed are one URL per
protocol to give chargers (the token in them is the credential); every transfer is printed as it happens.
Ctrl+C stops it.

Options:
  --dir DIR              the transfer folder (created when missing)
  --host ADDR            address to listen on (default 0.0.0.0: all interfaces)
  --http-port N          (default 8080)   --https-port N  (default 8443)
  --ftp-port N           (default 2121)   --ftps-port N   (default 2990)
                         0 picks a free port; "off" leaves the protocol off
  --user U --password P  also accept this FTP login (for chargers configured by hand)
  --max-upload-bytes N   refuse larger uploads (default 1 GiB)
  --data-dir DIR         where the local CA is kept (default ~/.ocpp-scope; OCPP_SCOPE_DATA_DIR): the same CA
                         as the endpoint's security profile 2, so a charger that trusts one trusts both
  --json                 print the URLs and every transfer event as JSON lines
  -h, --help             this help

HTTPS and FTPS use a certificate from the kept local CA (made on first use, reused after); its PEM is printed.
`;

export const DEFAULT_FILE_PORTS: Record<TransferProtocol, number> = {
  http: 8080,
  https: 8443,
  ftp: 2121,
  ftps: 2990,
};

const FILES_OPTIONS = {
  dir: { type: 'string' },
  host: { type: 'string' },
  'http-port': { type: 'string' },
  'https-port': { type: 'string' },
  'ftp-port': { type: 'string' },
  'ftps-port': { type: 'string' },
  user: { type: 'string' },
  password: { type: 'string' },
  'max-upload-bytes': { type: 'string' },
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function portOrOff(name: string, text: string | undefined, fallback: number): number | null {
  if (text === undefined) return fallback;
  if (text === 'off') return null;
  const checked = checkPort(text);
  if ('error' in checked)
    throw new Error(`--${name} must be a number from 0 to 65535 or "off", not "${text}".`);
  return checked.port;
}

/** The settings of `files` (and of `listen --files`, which passes its own dir and no other option). */
export function filesSettings(argv: string[]): {
  settings: FilesSettings;
  json: boolean;
  help: boolean;
  dataDir?: string;
} {
  const values = parseArgvOrThrow(argv, FILES_OPTIONS, { positionals: false }).values;
  if (values.help) return { settings: defaultFilesSettings(''), json: false, help: true };
  if (!values.dir)
    throw new Error('--dir DIR is required: the folder uploads land in and firmware is served from.');
  if ((values.user === undefined) !== (values.password === undefined))
    throw new Error('--user and --password go together.');
  const d = defaultFilesSettings(resolve(values.dir));
  const max = values['max-upload-bytes'];
  if (max !== undefined && !/^[1-9]\d*$/.test(max))
    throw new Error(`--max-upload-bytes needs a positive number, not "${max}".`);
  const ports = { ...d.ports };
  for (const p of PROTOCOLS) ports[p] = portOrOff(`${p}-port`, values[`${p}-port`], DEFAULT_FILE_PORTS[p]);
  return {
    settings: {
      ...d,
      host: values.host ?? d.host,
      ports,
      ...(values.user !== undefined && values.password !== undefined
        ? { account: { user: values.user, password: values.password } }
        : {}),
      ...(max !== undefined ? { maxUploadBytes: Number(max) } : {}),
    },
    json: values.json === true,
    help: false,
    ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
  };
}

/**
 * Starts a file server on `stream` and returns the lines that tell the user where it is: one URL per protocol on
 * the first address (with a general token, or the --user/--password login for FTP), then the folder and the CA.
 */
export async function startFiles(
  stream: EventStream,
  settings: FilesSettings,
  ca: () => Promise<CertificateBundle>,
  json: boolean,
): Promise<{ server: FileServer; lines: string[] } | { error: string }> {
  const server = new FileServer(stream, { ca });
  const status = await server.start(settings);
  if (!status.running) {
    server.dispose();
    return { error: status.error ?? 'the file server could not start' };
  }
  const general = server.issueGeneral();
  const firstOf = (p: TransferProtocol): string | undefined => status.urls.find((u) => u.protocol === p)?.url;
  const urls: { protocol: TransferProtocol; url: string }[] = [];
  for (const p of PROTOCOLS) {
    const base = firstOf(p);
    if (!base) continue;
    const a = settings.account;
    const url =
      a && (p === 'ftp' || p === 'ftps')
        ? base.replace('://', `://${encodeURIComponent(a.user)}:${encodeURIComponent(a.password)}@`)
        : transferUrl(base, p, general.token);
    urls.push({ protocol: p, url });
  }
  if (json) return { server, lines: urls.map((u) => JSON.stringify({ url: u })) };
  const others = [...new Set(status.urls.map((u) => new URL(u.url).hostname))].slice(1);
  return {
    server,
    lines: [
      ...urls.map((u) => `${u.protocol.padEnd(5)}  ${u.url}`),
      `Folder: ${settings.dir}  (uploads land in <folder>/<charger identity>/; top-level files are served as firmware)`,
      ...(others.length ? [`Also reachable on: ${others.join(', ')}`] : []),
      ...(status.caCertificatePem
        ? [`HTTPS/FTPS certificate CA (install it in chargers):\n${status.caCertificatePem.trimEnd()}`]
        : []),
    ],
  };
}

export async function runFiles(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof filesSettings>;
  try {
    parsed = filesSettings(argv);
  } catch (error) {
    warn(io, `ocpp-scope files: ${(error as Error).message} (see --help)`);
    return EXIT.usage;
  }
  if (parsed.help) {
    say(io, FILES_HELP.trimEnd());
    return EXIT.ok;
  }
  const stream = new EventStream();
  let ca: Promise<CertificateBundle> | undefined;
  const dataDir = cliDataDir(io, parsed.dataDir);
  const started = await startFiles(stream, parsed.settings, () => (ca ??= localCa(dataDir)), parsed.json);
  if ('error' in started) {
    warn(io, `ocpp-scope files: ${started.error}`);
    return EXIT.connection;
  }
  for (const line of started.lines) say(io, line);
  const unsubscribe = stream.subscribe(eventPrinter(io, parsed.json));
  await untilAborted(io.signal);
  await started.server.stop(false);
  started.server.dispose();
  unsubscribe();
  if (!parsed.json) say(io, 'Stopped.');
  return EXIT.ok;
}
