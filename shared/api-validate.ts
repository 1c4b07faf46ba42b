import type { ApiMethod, EngineApi, SimulatorAction } from './api';
import { API_METHODS } from './api';

/**
 * Argument validators for every method of the contract. The IPC handlers and the serve-mode bridge run them before
 * the engine sees anything, because the other side of both channels is a renderer we do not fully trust (a page
 * can be compromised by a hostile frame's text). Pure, never throws: a failure is data with a path and a reason.
 */

export type ArgsCheck = { ok: true } | { ok: false; code: 'unknown-method' | 'bad-arguments'; error: string };

/**
 * Returns a reason ("at settings.port: expected an integer from 0 to 65535") or undefined when the value fits. The
 * type parameter is what the check admits: the combinators below build it up, and a compile-time assertion at the
 * end of this file holds every method's checks to the contract's parameter types, key for key, so a field added to
 * a type in shared/api.ts and forgotten here is a type error, not a run-time refusal.
 */
type Check<T = unknown> = ((value: unknown, path: string) => string | undefined) & { readonly __admits?: T };
type Admits<C> = C extends Check<infer T> ? T : never;
/** Marks a property check as optional, so obj() makes the property optional in what it admits. */
type Optional<T> = Check<T | undefined> & { readonly __optional: true };

/** Generous ceilings: big enough for any real use, small enough that one call cannot exhaust memory on purpose. */
export const LIMITS = {
  id: 256,
  path: 4096,
  shortText: 1024,
  /** A frame typed or pasted by a person, or one replayed from a capture. */
  frameText: 16 * 1024 * 1024,
  /** A capture picked in the browser (serve mode) or dropped on the window, base64 included. */
  content: 512 * 1024 * 1024,
  /** One chunk of a file picked in the browser, base64 (the engine takes at most 1 MiB raw a chunk). */
  uploadChunk: 4 * 1024 * 1024,
  listItems: 10_000,
  pageLimit: 10_000,
} as const;

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const str =
  (max: number, opts: { nonEmpty?: boolean } = {}): Check<string> =>
  (value, path) => {
    if (typeof value !== 'string') return `${path}: expected a string, got ${describe(value)}`;
    if (opts.nonEmpty && value.length === 0) return `${path}: must not be empty`;
    if (value.length > max) return `${path}: longer than ${max} characters`;
    return undefined;
  };

const bool: Check<boolean> = (value, path) =>
  typeof value === 'boolean' ? undefined : `${path}: expected true or false, got ${describe(value)}`;

const int =
  (min: number, max: number): Check<number> =>
  (value, path) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
      ? undefined
      : `${path}: expected an integer from ${min} to ${max}`;

const num =
  (min: number, max: number): Check<number> =>
  (value, path) =>
    typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max
      ? undefined
      : `${path}: expected a number from ${min} to ${max}`;

const oneOf =
  <const T extends string | number>(...allowed: T[]): Check<T> =>
  (value, path) =>
    (allowed as unknown[]).includes(value)
      ? undefined
      : `${path}: expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;

const optional = <T>(check: Check<T>): Optional<T> =>
  Object.assign((value: unknown, path: string) => (value === undefined ? undefined : check(value, path)), {
    __optional: true as const,
  });

const arrayOf =
  <T>(item: Check<T>, max: number = LIMITS.listItems): Check<T[]> =>
  (value, path) => {
    if (!Array.isArray(value)) return `${path}: expected an array, got ${describe(value)}`;
    if (value.length > max) return `${path}: more than ${max} items`;
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };

const tuple =
  <const C extends readonly Check[]>(...items: C): Check<{ -readonly [I in keyof C]: Admits<C[I]> }> =>
  (value, path) => {
    if (!Array.isArray(value) || value.length !== items.length)
      return `${path}: expected a list of ${items.length} values`;
    for (let i = 0; i < items.length; i++) {
      const problem = items[i]!(value[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };

const recordOf =
  <T>(key: Check<string>, item: Check<T>, max: number = LIMITS.listItems): Check<Record<string, T>> =>
  (value, path) => {
    if (!isPlainObject(value)) return `${path}: expected an object, got ${describe(value)}`;
    const entries = Object.entries(value);
    if (entries.length > max) return `${path}: more than ${max} entries`;
    for (const [k, v] of entries) {
      const problem = key(k, `${path} key`) ?? item(v, `${path}.${k}`);
      if (problem) return problem;
    }
    return undefined;
  };

type ObjOf<S extends Record<string, Check>> = {
  [K in keyof S as S[K] extends { __optional: true } ? never : K]: Admits<S[K]>;
} & { [K in keyof S as S[K] extends { __optional: true } ? K : never]?: Exclude<Admits<S[K]>, undefined> };

/** Unknown properties are refused: they are typos on our side or probing on the other. */
const obj =
  <S extends Record<string, Check>>(shape: S): Check<ObjOf<S>> =>
  (value, path) => {
    if (!isPlainObject(value)) return `${path}: expected an object, got ${describe(value)}`;
    for (const k of Object.keys(value)) {
      if (!Object.hasOwn(shape, k)) return `${path}: unknown property "${k}"`;
    }
    for (const [k, check] of Object.entries(shape)) {
      const problem = check(value[k], `${path}.${k}`);
      if (problem) return problem;
    }
    return undefined;
  };

const id = str(LIMITS.id, { nonEmpty: true });
const filePath = str(LIMITS.path, { nonEmpty: true });
const shortText = str(LIMITS.shortText);
const version = oneOf('1.6', '2.0.1', '2.1');
const versions = arrayOf(version, 3);

const endpointSettings = obj({
  host: str(255, { nonEmpty: true }),
  port: int(0, 65535),
  protocols: versions,
  unknownProtocol: oneOf('refuse', 'accept'),
  securityProfile: oneOf(0, 1, 2, 3),
  passwords: recordOf(str(LIMITS.shortText), str(LIMITS.shortText)),
  acceptAnyPassword: bool,
  tls: optional(
    obj({
      certFile: optional(str(LIMITS.path)),
      keyFile: optional(str(LIMITS.path)),
      caFile: optional(str(LIMITS.path)),
      generateCertificate: optional(bool),
    }),
  ),
  pingIntervalSec: int(0, 86_400),
  callTimeoutSec: int(1, 86_400),
  limits: obj({
    maxFrameBytes: int(1, 1024 * 1024 * 1024),
    maxFramesPerSec: int(0, 10_000_000),
    maxConnections: int(1, 1_000_000),
  }),
  upstream: optional(
    obj({
      url: ((value, path) => urlCheck(value, path)) as Check<string>,
      basicAuth: optional(obj({ username: str(LIMITS.shortText), password: str(LIMITS.shortText) })),
      tls: optional(
        obj({
          caFile: optional(str(LIMITS.path)),
          certFile: optional(str(LIMITS.path)),
          keyFile: optional(str(LIMITS.path)),
          allowInsecure: optional(bool),
        }),
      ),
      hold: optional(obj({ station: optional(bool), csms: optional(bool) })),
    }),
  ),
});

const urlCheck: Check<string> = (value, path) => {
  const problem = str(LIMITS.path, { nonEmpty: true })(value, path);
  if (problem) return problem;
  // Only the scheme is checked here: a station must be able to try a URL the engine will then diagnose.
  return /^wss?:\/\//i.test(value as string) ? undefined : `${path}: expected a ws:// or wss:// URL`;
};

const simulatorConfig = recordOf(str(LIMITS.shortText), str(LIMITS.shortText), 1000);
const revokedSerials = arrayOf(str(LIMITS.shortText, { nonEmpty: true }), 100);

const stationSettings = obj({
  url: urlCheck,
  protocols: versions,
  basicAuth: optional(obj({ username: shortText, password: shortText })),
  tls: optional(
    obj({
      caFile: optional(str(LIMITS.path)),
      certFile: optional(str(LIMITS.path)),
      keyFile: optional(str(LIMITS.path)),
      allowInsecure: optional(bool),
    }),
  ),
  headers: optional(arrayOf(tuple(str(LIMITS.shortText, { nonEmpty: true }), str(8192)), 100)),
  reconnect: optional(obj({ enabled: bool, maxDelaySec: int(1, 86_400) })),
  pingIntervalSec: optional(int(0, 86_400)),
  callTimeoutSec: optional(int(1, 86_400)),
  simulator: optional(
    obj({
      vendor: str(LIMITS.shortText),
      model: str(LIMITS.shortText),
      serialNumber: optional(str(LIMITS.shortText)),
      firmwareVersion: optional(str(LIMITS.shortText)),
      connectors: int(1, 32),
      maxPowerW: optional(num(0, 10_000_000)),
      idTag: optional(str(LIMITS.shortText)),
      plugOnRemoteStart: optional(bool),
      dataTransfer: optional(
        obj({
          status: oneOf('Accepted', 'Rejected', 'UnknownMessageId', 'UnknownVendorId'),
          data: optional(str(LIMITS.shortText)),
        }),
      ),
      config: optional(simulatorConfig),
      rebootDelaySec: optional(num(0, 3600)),
      seed: optional(int(0, Number.MAX_SAFE_INTEGER)),
      revokedCertificates: optional(revokedSerials),
      crlFile: optional(str(LIMITS.path)),
    }),
  ),
});

const connectorNo = int(1, 32);
// A union by `kind`: each branch is checked by obj(); the branches together admit exactly SimulatorAction.
const simulatorAction = ((value: unknown, path: string) => {
  if (!isPlainObject(value)) return `${path}: expected an object, got ${describe(value)}`;
  switch (value.kind) {
    case 'plug':
    case 'unplug':
    case 'stop':
    case 'fault':
    case 'clearFault':
      return obj({ kind: oneOf('plug', 'unplug', 'stop', 'fault', 'clearFault'), connector: connectorNo })(
        value,
        path,
      );
    case 'card':
      return obj({
        kind: oneOf('card'),
        connector: connectorNo,
        idTag: str(LIMITS.shortText, { nonEmpty: true }),
      })(value, path);
    case 'start':
      return obj({ kind: oneOf('start'), connector: connectorNo, idTag: optional(str(LIMITS.shortText)) })(
        value,
        path,
      );
    case 'reboot':
    case 'offline':
    case 'online':
      return obj({ kind: oneOf('reboot', 'offline', 'online') })(value, path);
    case 'evCertificate':
      return obj({ kind: oneOf('evCertificate'), action: optional(oneOf('Install', 'Update')) })(value, path);
    case 'certificateStatus':
      return obj({ kind: oneOf('certificateStatus'), responderUrl: optional(str(LIMITS.path)) })(value, path);
    default:
      return `${path}.kind: expected one of plug, unplug, card, start, stop, fault, clearFault, reboot, offline, online, evCertificate, certificateStatus`;
  }
}) as Check<SimulatorAction>;

const fleetSettings = obj({
  url: urlCheck,
  prefix: str(200, { nonEmpty: true }),
  count: int(1, 100_000),
  protocol: version,
  connectors: int(1, 32),
  autoTransactions: bool,
  password: optional(str(LIMITS.shortText)),
  config: optional(simulatorConfig),
  revokedCertificates: optional(revokedSerials),
  crlFile: optional(str(LIMITS.path)),
});

const simulatorSettingsCheck = obj({
  versions,
  connectors: int(1, 32),
  config: optional(simulatorConfig),
  revokedCertificates: optional(revokedSerials),
  crlFile: optional(str(LIMITS.path)),
  caFile: optional(str(LIMITS.path)),
});

const autoAnswerPolicy = obj({
  version,
  action: str(128, { nonEmpty: true }),
  mode: oneOf('auto', 'hold', 'payload', 'callerror'),
  payload: optional(str(LIMITS.frameText)),
  errorCode: optional(str(128)),
  errorDescription: optional(str(LIMITS.shortText)),
  role: optional(oneOf('endpoint', 'station')),
});
const autoAnswerPolicies = arrayOf(autoAnswerPolicy, 1000);

const appSettings = obj({
  endpoint: endpointSettings,
  station: stationSettingsForStorage(),
  autoAnswer: autoAnswerPolicies,
  recordByDefault: bool,
  recentCaptures: arrayOf(str(LIMITS.path), 50),
  theme: oneOf('dark', 'light', 'system'),
  timeZone: optional(oneOf('local', 'utc')),
  logColumns: optional(
    obj({
      hidden: optional(arrayOf(str(64), 64)),
      widths: optional(recordOf(str(64), int(24, 4000), 64)),
    }),
  ),
  hideKeepalives: optional(oneOf('off', 'pings', 'pings-and-heartbeats')),
});

/** Stored station settings may hold a URL still being typed, so only its length is checked there. */
function stationSettingsForStorage(): Check<Admits<typeof stationSettings>> {
  return (value, path) => {
    if (isPlainObject(value) && typeof value.url === 'string' && value.url.length <= LIMITS.path) {
      return stationSettings({ ...value, url: 'ws://placeholder' }, path);
    }
    return stationSettings(value, path);
  };
}

const eventQuery = obj({
  connection: optional(str(LIMITS.id)),
  identity: optional(str(LIMITS.shortText)),
  action: optional(str(128)),
  messageType: optional(int(2, 6)),
  sender: optional(oneOf('station', 'csms')),
  withFindings: optional(bool),
  text: optional(str(LIMITS.shortText)),
  from: optional(num(0, Number.MAX_SAFE_INTEGER)),
  to: optional(num(0, Number.MAX_SAFE_INTEGER)),
  filter: optional(str(LIMITS.shortText)),
  filterBase: optional(num(0, Number.MAX_SAFE_INTEGER)),
});

const replaySettings = obj({
  sourceId: id,
  side: oneOf('station', 'csms'),
  // Empty when a CSMS-side replay waits for the next charger (waitForCharger).
  target: str(LIMITS.path),
  protocol: optional(version),
  speed: num(0, 1000),
  shiftTimestamps: bool,
  connection: optional(str(LIMITS.id)),
  waitForCharger: optional(bool),
  timeoutSec: optional(num(0.1, 86_400)),
  ignore: optional(arrayOf(str(LIMITS.shortText), 200)),
  label: optional(str(LIMITS.path)),
});

const checkSettings = obj({
  suite: optional(str(128, { nonEmpty: true })),
  scenario: optional(str(LIMITS.frameText)),
  target: str(LIMITS.path, { nonEmpty: true }),
  protocol: optional(version),
  cases: optional(arrayOf(str(128, { nonEmpty: true }), 1000)),
  noPrompt: optional(bool),
  timeoutSec: optional(num(0.1, 86_400)),
  vars: optional(arrayOf(tuple(str(128, { nonEmpty: true }), str(LIMITS.shortText)), 100)),
  basicAuth: optional(obj({ username: str(LIMITS.shortText), password: str(LIMITS.shortText) })),
});

const port = int(0, 65535);
const portOrOff: Check<number | null> = (value, path) => (value === null ? undefined : port(value, path));

const filesSettings = obj({
  dir: str(LIMITS.path),
  host: str(LIMITS.shortText),
  ports: obj({ http: portOrOff, https: portOrOff, ftp: portOrOff, ftps: portOrOff }),
  account: optional(
    obj({
      user: str(LIMITS.shortText, { nonEmpty: true }),
      password: str(LIMITS.shortText, { nonEmpty: true }),
    }),
  ),
  maxUploadBytes: int(1, Number.MAX_SAFE_INTEGER),
});

const transferTicketRequest = obj({
  identity: str(LIMITS.shortText),
  action: str(LIMITS.id, { nonEmpty: true }),
  firmware: optional(str(LIMITS.path)),
});

const none = [] as const;

/** One list of argument checks per method; the tuple's length is the method's arity. */
const ARGS = {
  getSettings: none,
  saveSettings: [appSettings],
  startEndpoint: [endpointSettings],
  stopEndpoint: none,
  getEndpointStatus: none,
  connectStation: [stationSettings],
  disconnect: [id],
  listConnections: none,
  send: [id, str(LIMITS.frameText)],
  listHeld: none,
  answerHeld: [id, str(LIMITS.id), str(LIMITS.frameText)],
  setAutoAnswer: [autoAnswerPolicies],
  setRecording: [bool],
  getRecording: none,
  listSources: none,
  openFile: [filePath],
  openContent: [str(LIMITS.path, { nonEmpty: true }), str(LIMITS.content), oneOf('utf8', 'base64')],
  beginUpload: [str(LIMITS.path, { nonEmpty: true }), int(0, Number.MAX_SAFE_INTEGER)],
  uploadChunk: [id, int(0, Number.MAX_SAFE_INTEGER), str(LIMITS.uploadChunk)],
  finishUpload: [id],
  cancelUpload: [id],
  closeSource: [id],
  queryEvents: [id, eventQuery, int(0, Number.MAX_SAFE_INTEGER), int(0, LIMITS.pageLimit)],
  exportSource: [id, oneOf('capture', 'har'), bool],
  chooseFile: [oneOf('open', 'save'), optional(str(LIMITS.path))],
  saveFile: [filePath, str(LIMITS.content)],
  startReplay: [replaySettings],
  pauseReplay: none,
  resumeReplay: none,
  stepReplay: none,
  getReplay: none,
  setProxyHold: [id, oneOf('station', 'csms'), bool],
  listHeldFrames: none,
  releaseHeld: [id, int(0, Number.MAX_SAFE_INTEGER), optional(str(LIMITS.frameText))],
  dropHeld: [id, int(0, Number.MAX_SAFE_INTEGER)],
  injectFrame: [id, oneOf('station', 'csms'), str(LIMITS.frameText)],
  startCheck: [checkSettings],
  answerCheckPrompt: [str(LIMITS.id, { nonEmpty: true }), oneOf('done', 'skip')],
  stopCheck: none,
  getCheck: none,
  listSimulators: none,
  simulatorAction: [id, simulatorAction],
  startFleet: [fleetSettings],
  stopFleet: none,
  getFleet: none,
  checkSimulatorSettings: [simulatorSettingsCheck],
  startFiles: [filesSettings],
  stopFiles: none,
  getFilesStatus: none,
  prepareTransfer: [transferTicketRequest],
  regenerateCa: none,
  exportDiagnosis: [id, optional(filePath)],
  stopReplay: none,
  listCaptures: none,
  renameCapture: [filePath, str(LIMITS.path, { nonEmpty: true })],
  deleteCapture: [filePath],
  revealCapture: [filePath],
  diffCaptures: [filePath, filePath, optional(arrayOf(str(LIMITS.shortText), 200))],
} as const satisfies { [M in ApiMethod]: readonly Check[] };

/** Optional trailing arguments: a caller may leave them out. */
const OPTIONAL_TAIL: Partial<Record<ApiMethod, number>> = {
  chooseFile: 1,
  releaseHeld: 1,
  exportDiagnosis: 1,
  diffCaptures: 1,
};

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && (API_METHODS as readonly string[]).includes(name);
}

/** Checks the arguments of one call. `args` comes straight off the wire: anything may be in it. */
export function validateArgs(method: unknown, args: unknown): ArgsCheck {
  if (!isApiMethod(method))
    return { ok: false, code: 'unknown-method', error: `unknown method ${JSON.stringify(String(method))}` };
  if (!Array.isArray(args))
    return { ok: false, code: 'bad-arguments', error: `${method}: arguments must be a list` };
  const checks: readonly Check[] = ARGS[method];
  const min = checks.length - (OPTIONAL_TAIL[method] ?? 0);
  if (args.length < min || args.length > checks.length) {
    const expected = min === checks.length ? `${min}` : `${min} to ${checks.length}`;
    return {
      ok: false,
      code: 'bad-arguments',
      error: `${method}: expected ${expected} argument(s), got ${args.length}`,
    };
  }
  for (let i = 0; i < checks.length; i++) {
    const problem = checks[i]!(args[i], `${method} argument ${i + 1}`);
    if (problem) return { ok: false, code: 'bad-arguments', error: problem };
  }
  return { ok: true };
}

/** The arity of each method, for the preload and bridge client (they pass exactly these many arguments). */
export function maxArity(method: ApiMethod): number {
  return ARGS[method].length;
}

/** Checks one settings object read from disk or received from the UI. */
export function validateAppSettings(value: unknown): ArgsCheck {
  const problem = appSettings(value, 'settings');
  return problem ? { ok: false, code: 'bad-arguments', error: problem } : { ok: true };
}

export function validateEndpointSettings(value: unknown): ArgsCheck {
  const problem = endpointSettings(value, 'endpoint');
  return problem ? { ok: false, code: 'bad-arguments', error: problem } : { ok: true };
}

export function validateStationSettings(value: unknown): ArgsCheck {
  const problem = stationSettings(value, 'station');
  return problem ? { ok: false, code: 'bad-arguments', error: problem } : { ok: true };
}

/** Narrowing helper for callers that already validated: the arguments of method M. */
export type ArgsOf<M extends ApiMethod> = Parameters<EngineApi[M]>;

// ---- The checks are held to the contract's types (compile time only) ----

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Same type, and for objects the same keys at every depth (plain assignability would let an added optional key by). */
type DeepSame<A, B> =
  Same<A, B> extends false
    ? false
    : [A] extends [readonly (infer EA)[]]
      ? [B] extends [readonly (infer EB)[]]
        ? DeepSame<EA, EB>
        : false
      : [A] extends [object]
        ? Same<keyof A, keyof B> extends true
          ? // Extract<> keeps this mapping from distributing over a union A (a tagged union is compared whole).
            {
              [K in Extract<keyof A, PropertyKey>]-?: DeepSame<
                NonNullable<A[K]>,
                NonNullable<B[K & keyof B]>
              >;
            }[Extract<keyof A, PropertyKey>] extends true
            ? true
            : false
          : false
        : true;
type RequiredAll<T extends readonly unknown[]> = { [I in keyof T]-?: T[I] };
type AdmitsAll<T extends readonly unknown[]> = { -readonly [I in keyof T]: Admits<T[I]> };
type ParamsOf<M extends ApiMethod> = RequiredAll<Parameters<EngineApi[M]>>;
type ChecksOf<M extends ApiMethod> = AdmitsAll<(typeof ARGS)[M]>;
type ElementsSame<A extends readonly unknown[], B extends readonly unknown[]> =
  Same<A['length'], B['length']> extends true
    ? { [I in keyof A]: DeepSame<NonNullable<A[I]>, NonNullable<B[I & keyof B]>> }[number] extends true
      ? true
      : false
    : false;
/** The methods whose checks admit something other than what shared/api.ts declares: must be `never`. */
type DriftedMethods = {
  [M in ApiMethod]: ElementsSame<ChecksOf<M>, ParamsOf<M>> extends true ? never : M;
}[ApiMethod];
export const CHECKS_MATCH_CONTRACT: [DriftedMethods] extends [never] ? true : DriftedMethods = true;
