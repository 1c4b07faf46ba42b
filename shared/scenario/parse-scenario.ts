import type { JsonObject, JsonValue } from '../ocpp/json';
import { isJsonObject } from '../ocpp/json';
import { parsePointer } from '../ocpp/json-pointer';
import { OCPP_VERSIONS, isOcppVersion } from '../ocpp/versions';
import { MESSAGE_TYPE_IDS } from './matchers';
import type {
  AnswerRule,
  ConnectStep,
  Matcher,
  MessageTypeName,
  Scenario,
  ScenarioCase,
  Step,
  StepKind,
} from './scenario-types';
import { STEP_KINDS } from './scenario-types';
import { templateNames } from './template';

/**
 * Reads a scenario file (or any JSON value) into a Scenario. Pure and total: every problem is reported with the
 * JSON pointer of the offending value and a sentence, all at once, so an author can fix a file in one go. A file
 * may hold a whole scenario (`cases`) or a single case (`steps`) with `version` and `role` beside it.
 */

export interface ScenarioProblem {
  /** JSON pointer into the file. */
  path: string;
  message: string;
}

export type ScenarioParse = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

const TYPE_NAMES = Object.keys(MESSAGE_TYPE_IDS) as MessageTypeName[];
const MATCHER_KEYS = ['equals', 'oneOf', 'regex', 'min', 'max', 'exists', 'absent', 'type'];
const VALUE_TYPES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null'];
/** Built-in template names the runner always defines. */
export const BUILTIN_VARS = ['now', 'identity', 'messageId', 'uuid', 'runId'] as const;
const ID = /^[a-z0-9][a-z0-9-]*$/;

class Reader {
  readonly problems: ScenarioProblem[] = [];
  add(path: string, message: string): void {
    if (this.problems.length < 200) this.problems.push({ path: path || '/', message });
  }

  unknownKeys(o: JsonObject, path: string, allowed: readonly string[]): void {
    for (const k of Object.keys(o))
      if (!allowed.includes(k) && k !== '$schema' && k !== 'comment')
        this.add(`${path}/${k}`, `unknown field "${k}" (allowed: ${allowed.join(', ')})`);
  }

  string(o: JsonObject, key: string, path: string, required: boolean): string | undefined {
    const v = o[key];
    if (v === undefined) {
      if (required) this.add(path, `"${key}" is required`);
      return undefined;
    }
    if (typeof v !== 'string' || v === '') {
      this.add(`${path}/${key}`, `"${key}" must be a non-empty string`);
      return undefined;
    }
    return v;
  }

  seconds(o: JsonObject, key: string, path: string, required: boolean): number | undefined {
    const v = o[key];
    if (v === undefined) {
      if (required) this.add(path, `"${key}" (seconds) is required`);
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 86_400) {
      this.add(`${path}/${key}`, `"${key}" must be a number of seconds from 0 to 86400`);
      return undefined;
    }
    return v;
  }

  stringOrList(o: JsonObject, key: string, path: string): string | string[] | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string' && v !== '') return v;
    if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x !== ''))
      return v as string[];
    this.add(`${path}/${key}`, `"${key}" must be a string or a non-empty list of strings`);
    return undefined;
  }

  messageType(o: JsonObject, path: string): MessageTypeName | MessageTypeName[] | undefined {
    const v = this.stringOrList(o, 'messageType', path);
    if (v === undefined) return undefined;
    for (const t of Array.isArray(v) ? v : [v])
      if (!TYPE_NAMES.includes(t as MessageTypeName)) {
        this.add(`${path}/messageType`, `"${t}" is not a message type (${TYPE_NAMES.join(', ')})`);
        return undefined;
      }
    return v as MessageTypeName | MessageTypeName[];
  }

  pointer(p: string, path: string): boolean {
    const r = parsePointer(p);
    if (!r.ok) this.add(path, r.error);
    return r.ok;
  }

  matcher(v: JsonValue, path: string): Matcher | undefined {
    if (!isJsonObject(v)) {
      this.add(path, 'a matcher must be an object such as {"equals": "Accepted"}');
      return undefined;
    }
    this.unknownKeys(v, path, MATCHER_KEYS);
    if (Object.keys(v).filter((k) => MATCHER_KEYS.includes(k)).length === 0)
      this.add(path, `a matcher needs at least one of ${MATCHER_KEYS.join(', ')}`);
    const m: Matcher = {};
    if (v['equals'] !== undefined) m.equals = v['equals'];
    if (v['oneOf'] !== undefined) {
      if (!Array.isArray(v['oneOf']) || v['oneOf'].length === 0)
        this.add(`${path}/oneOf`, '"oneOf" must be a non-empty list of values');
      else m.oneOf = v['oneOf'];
    }
    if (v['regex'] !== undefined) {
      const re = v['regex'];
      if (typeof re !== 'string') this.add(`${path}/regex`, '"regex" must be a string');
      else {
        try {
          new RegExp(re);
          m.regex = re;
        } catch (e) {
          this.add(`${path}/regex`, `not a valid regular expression: ${(e as Error).message}`);
        }
      }
    }
    for (const k of ['min', 'max'] as const) {
      const n = v[k];
      if (n === undefined) continue;
      if (typeof n !== 'number' || !Number.isFinite(n)) this.add(`${path}/${k}`, `"${k}" must be a number`);
      else m[k] = n;
    }
    if (m.min !== undefined && m.max !== undefined && m.min > m.max)
      this.add(path, `"min" (${m.min}) is above "max" (${m.max})`);
    for (const k of ['exists', 'absent'] as const) {
      const b = v[k];
      if (b === undefined) continue;
      if (typeof b !== 'boolean') this.add(`${path}/${k}`, `"${k}" must be true or false`);
      else m[k] = b;
    }
    if (v['type'] !== undefined) {
      if (typeof v['type'] !== 'string' || !VALUE_TYPES.includes(v['type']))
        this.add(`${path}/type`, `"type" must be one of ${VALUE_TYPES.join(', ')}`);
      else m.type = v['type'] as Matcher['type'];
    }
    return m;
  }

  matchers(v: JsonValue, path: string): Record<string, Matcher> | undefined {
    if (!isJsonObject(v)) {
      this.add(path, '"match" must be an object: JSON pointer -> matcher');
      return undefined;
    }
    const match: Record<string, Matcher> = {};
    for (const [p, m] of Object.entries(v)) {
      const at = `${path}/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!this.pointer(p, at)) continue;
      const parsed = this.matcher(m, at);
      if (parsed) match[p] = parsed;
    }
    return match;
  }

  answer(v: JsonValue | undefined, path: string): AnswerRule | undefined {
    if (!isJsonObject(v)) {
      this.add(
        path,
        'an answer must be {"payload": {...}}, {"error": {"code": ...}}, {"raw": "..."} or {"none": true}',
      );
      return undefined;
    }
    const keys = Object.keys(v).filter((k) => k !== 'comment');
    if (keys.length !== 1) {
      this.add(path, 'an answer has exactly one of "payload", "error", "raw", "none"');
      return undefined;
    }
    const k = keys[0]!;
    const x = v[k]!;
    switch (k) {
      case 'payload':
        if (!isJsonObject(x)) this.add(`${path}/payload`, '"payload" must be an object');
        else return { payload: x };
        return undefined;
      case 'error': {
        if (!isJsonObject(x)) {
          this.add(`${path}/error`, '"error" must be an object with a "code"');
          return undefined;
        }
        this.unknownKeys(x, `${path}/error`, ['code', 'description', 'details']);
        const code = this.string(x, 'code', `${path}/error`, true);
        const description = x['description'];
        if (description !== undefined && typeof description !== 'string')
          this.add(`${path}/error/description`, '"description" must be a string');
        const details = x['details'];
        if (details !== undefined && !isJsonObject(details))
          this.add(`${path}/error/details`, '"details" must be an object');
        if (code === undefined) return undefined;
        return {
          error: {
            code,
            ...(typeof description === 'string' ? { description } : {}),
            ...(isJsonObject(details) ? { details } : {}),
          },
        };
      }
      case 'raw':
        if (typeof x !== 'string') this.add(`${path}/raw`, '"raw" must be a string');
        else return { raw: x };
        return undefined;
      case 'none':
        if (x !== true) this.add(`${path}/none`, '"none" must be true');
        else return { none: true };
        return undefined;
      default:
        this.add(`${path}/${k}`, `unknown answer "${k}" (payload, error, raw or none)`);
        return undefined;
    }
  }

  answers(v: JsonValue | undefined, path: string): Record<string, AnswerRule> | undefined {
    if (v === undefined) return undefined;
    if (!isJsonObject(v)) {
      this.add(path, '"answers" must be an object: action -> answer');
      return undefined;
    }
    const out: Record<string, AnswerRule> = {};
    for (const [action, rule] of Object.entries(v)) {
      const r = this.answer(rule, `${path}/${action}`);
      if (r) out[action] = r;
    }
    return out;
  }
}

function stepAt(
  r: Reader,
  v: JsonValue,
  path: string,
  names: Set<string>,
  sent: Set<string>,
): Step | undefined {
  if (!isJsonObject(v)) {
    r.add(path, 'a step must be an object with a "step" field');
    return undefined;
  }
  const kind = v['step'];
  if (typeof kind !== 'string' || !(STEP_KINDS as readonly string[]).includes(kind)) {
    r.add(`${path}/step`, `"step" must be one of ${STEP_KINDS.join(', ')}`);
    return undefined;
  }
  const title = r.string(v, 'title', path, false);
  const base = title !== undefined ? { title } : {};
  const used = templateNames(v).filter(
    (n) => !names.has(n) && !(BUILTIN_VARS as readonly string[]).includes(n),
  );
  // Capture names a step defines itself are not yet known when its own templates are filled.
  for (const n of used) r.add(path, `"{{${n}}}" is used before any step captures "${n}"`);
  switch (kind as StepKind) {
    case 'send': {
      r.unknownKeys(v, path, ['step', 'title', 'action', 'payload', 'messageId', 'frame', 'raw', 'name']);
      const forms = ['action', 'frame', 'raw'].filter((k) => v[k] !== undefined);
      if (forms.length !== 1) {
        r.add(path, 'a send step has exactly one of "action" (with "payload"), "frame" or "raw"');
        return undefined;
      }
      const name = r.string(v, 'name', path, false);
      if (name !== undefined) sent.add(name);
      const extra = name !== undefined ? { name } : {};
      if (v['action'] !== undefined) {
        const action = r.string(v, 'action', path, true);
        const payload = v['payload'];
        if (payload !== undefined && !isJsonObject(payload))
          r.add(`${path}/payload`, '"payload" must be an object');
        const messageId = r.string(v, 'messageId', path, false);
        if (action === undefined) return undefined;
        return {
          step: 'send',
          ...base,
          action,
          ...(isJsonObject(payload) ? { payload } : {}),
          ...(messageId !== undefined ? { messageId } : {}),
          ...extra,
        };
      }
      if (v['payload'] !== undefined || v['messageId'] !== undefined)
        r.add(path, '"payload" and "messageId" go with "action"; a "frame" or "raw" send carries its own');
      if (v['frame'] !== undefined) {
        if (!Array.isArray(v['frame'])) {
          r.add(`${path}/frame`, '"frame" must be a JSON array such as [2, "id", "Heartbeat", {}]');
          return undefined;
        }
        return { step: 'send', ...base, frame: v['frame'], ...extra };
      }
      if (typeof v['raw'] !== 'string') {
        r.add(`${path}/raw`, '"raw" must be a string (the exact text to send)');
        return undefined;
      }
      return { step: 'send', ...base, raw: v['raw'], ...extra };
    }
    case 'expect':
    case 'expect-none': {
      const none = kind === 'expect-none';
      r.unknownKeys(
        v,
        path,
        none
          ? ['step', 'title', 'messageType', 'action', 'within']
          : [
              'step',
              'title',
              'messageType',
              'action',
              'answering',
              'messageId',
              'errorCode',
              'match',
              'within',
              'capture',
            ],
      );
      const messageType = r.messageType(v, path);
      const action = r.stringOrList(v, 'action', path);
      const within = r.seconds(v, 'within', path, none);
      if (none) {
        if (within === undefined) return undefined;
        return {
          step: 'expect-none',
          ...base,
          within,
          ...(messageType !== undefined ? { messageType } : {}),
          ...(action !== undefined ? { action } : {}),
        };
      }
      const answering = r.string(v, 'answering', path, false);
      if (answering !== undefined && answering !== 'last' && answering !== 'any' && !sent.has(answering))
        r.add(`${path}/answering`, `"${answering}" is not "last", "any" or the name of an earlier send step`);
      const messageId = r.string(v, 'messageId', path, false);
      const errorCode = r.stringOrList(v, 'errorCode', path);
      let match: Record<string, Matcher> | undefined;
      if (v['match'] !== undefined) {
        if (!isJsonObject(v['match']))
          r.add(`${path}/match`, '"match" must be an object: JSON pointer -> matcher');
        else {
          match = {};
          for (const [p, m] of Object.entries(v['match'])) {
            const at = `${path}/match/${p.replace(/~/g, '~0').replace(/\//g, '~1')}`;
            if (!r.pointer(p, at)) continue;
            const parsed = r.matcher(m, at);
            if (parsed) match[p] = parsed;
          }
        }
      }
      let capture: Record<string, string> | undefined;
      if (v['capture'] !== undefined) {
        if (!isJsonObject(v['capture']))
          r.add(`${path}/capture`, '"capture" must be an object: name -> JSON pointer');
        else {
          capture = {};
          for (const [n, p] of Object.entries(v['capture'])) {
            if (typeof p !== 'string') r.add(`${path}/capture/${n}`, 'a capture is a JSON pointer string');
            else if (r.pointer(p, `${path}/capture/${n}`)) {
              capture[n] = p;
              names.add(n);
            }
          }
        }
      }
      return {
        step: 'expect',
        ...base,
        ...(messageType !== undefined ? { messageType } : {}),
        ...(action !== undefined ? { action } : {}),
        ...(answering !== undefined ? { answering } : {}),
        ...(messageId !== undefined ? { messageId } : {}),
        ...(errorCode !== undefined ? { errorCode } : {}),
        ...(match !== undefined ? { match } : {}),
        ...(within !== undefined ? { within } : {}),
        ...(capture !== undefined ? { capture } : {}),
      };
    }
    case 'capture': {
      r.unknownKeys(v, path, ['step', 'title', 'name', 'pointer']);
      const name = r.string(v, 'name', path, true);
      const pointer = typeof v['pointer'] === 'string' ? v['pointer'] : undefined;
      if (pointer === undefined) r.add(path, '"pointer" (a JSON pointer string) is required');
      else r.pointer(pointer, `${path}/pointer`);
      if (name === undefined || pointer === undefined) return undefined;
      names.add(name);
      return { step: 'capture', ...base, name, pointer };
    }
    case 'prompt': {
      r.unknownKeys(v, path, ['step', 'title', 'text', 'timeoutSec']);
      const text = r.string(v, 'text', path, true);
      const timeoutSec = r.seconds(v, 'timeoutSec', path, false);
      if (text === undefined) return undefined;
      return { step: 'prompt', ...base, text, ...(timeoutSec !== undefined ? { timeoutSec } : {}) };
    }
    case 'wait': {
      r.unknownKeys(v, path, ['step', 'title', 'seconds']);
      const seconds = r.seconds(v, 'seconds', path, true);
      return seconds === undefined ? undefined : { step: 'wait', ...base, seconds };
    }
    case 'disconnect':
      r.unknownKeys(v, path, ['step', 'title']);
      return { step: 'disconnect', ...base };
    case 'reconnect': {
      r.unknownKeys(v, path, ['step', 'title', 'within']);
      const within = r.seconds(v, 'within', path, false);
      return { step: 'reconnect', ...base, ...(within !== undefined ? { within } : {}) };
    }
    case 'expect-handshake': {
      r.unknownKeys(v, path, ['step', 'title', 'match']);
      if (v['match'] === undefined) {
        r.add(path, '"match" (JSON pointer into the handshake -> matcher) is required');
        return undefined;
      }
      const match = r.matchers(v['match'], `${path}/match`);
      return match ? { step: 'expect-handshake', ...base, match } : undefined;
    }
    case 'connect':
      return connectStep(r, v, path, base);
    case 'answer': {
      r.unknownKeys(v, path, ['step', 'title', 'action', 'with']);
      const action = r.string(v, 'action', path, true);
      const rule = r.answer(v['with'], `${path}/with`);
      if (action === undefined || rule === undefined) return undefined;
      return { step: 'answer', ...base, action, with: rule };
    }
  }
}

function connectStep(
  r: Reader,
  v: JsonObject,
  path: string,
  base: { title?: string },
): ConnectStep | undefined {
  r.unknownKeys(v, path, ['step', 'title', 'basicAuth', 'expect', 'status', 'within']);
  const expect = v['expect'];
  if (expect !== undefined && expect !== 'accepted' && expect !== 'refused')
    r.add(`${path}/expect`, '"expect" must be "accepted" or "refused"');
  const status = v['status'];
  if (
    status !== undefined &&
    (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599)
  )
    r.add(`${path}/status`, '"status" must be an HTTP error status (400-599)');
  else if (status !== undefined && expect !== 'refused')
    r.add(`${path}/status`, '"status" goes with "expect": "refused"');
  const within = r.seconds(v, 'within', path, false);
  const auth = v['basicAuth'];
  let basicAuth: ConnectStep['basicAuth'];
  if (auth === null) basicAuth = null;
  else if (auth !== undefined) {
    if (!isJsonObject(auth) || typeof auth['password'] !== 'string')
      r.add(`${path}/basicAuth`, '"basicAuth" must be null (no credentials) or { "username"?, "password" }');
    else {
      r.unknownKeys(auth, `${path}/basicAuth`, ['username', 'password']);
      const username = r.string(auth, 'username', `${path}/basicAuth`, false);
      basicAuth = { ...(username !== undefined ? { username } : {}), password: auth['password'] };
    }
  }
  return {
    step: 'connect',
    ...base,
    ...(basicAuth !== undefined ? { basicAuth } : {}),
    ...(expect === 'accepted' || expect === 'refused' ? { expect } : {}),
    ...(typeof status === 'number' ? { status } : {}),
    ...(within !== undefined ? { within } : {}),
  };
}

function caseAt(r: Reader, v: JsonValue, path: string, known: readonly string[]): ScenarioCase | undefined {
  if (!isJsonObject(v)) {
    r.add(path, 'a case must be an object with "id", "title" and "steps"');
    return undefined;
  }
  r.unknownKeys(v, path, ['id', 'title', 'octt', 'description', 'timeoutSec', 'answers', 'steps']);
  const id = r.string(v, 'id', path, true);
  if (id !== undefined && !ID.test(id)) r.add(`${path}/id`, `"${id}" must be kebab-case (a-z, 0-9, -)`);
  const title = r.string(v, 'title', path, true);
  const octt = r.string(v, 'octt', path, false);
  const description = r.string(v, 'description', path, false);
  const timeoutSec = r.seconds(v, 'timeoutSec', path, false);
  const answers = r.answers(v['answers'], `${path}/answers`);
  const stepsValue = v['steps'];
  const steps: Step[] = [];
  if (!Array.isArray(stepsValue) || stepsValue.length === 0)
    r.add(`${path}/steps`, '"steps" must be a non-empty list');
  else {
    const names = new Set<string>(known);
    const sent = new Set<string>();
    stepsValue.forEach((s, i) => {
      const step = stepAt(r, s, `${path}/steps/${i}`, names, sent);
      if (step) steps.push(step);
    });
  }
  if (id === undefined || title === undefined) return undefined;
  return {
    id,
    title,
    ...(octt !== undefined ? { octt } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(timeoutSec !== undefined ? { timeoutSec } : {}),
    ...(answers !== undefined ? { answers } : {}),
    steps,
  };
}

/** Validates a parsed JSON value as a scenario. */
export function readScenario(value: unknown): ScenarioParse {
  const r = new Reader();
  if (!isJsonObject(value))
    return { ok: false, problems: [{ path: '/', message: 'a scenario must be a JSON object' }] };
  const single = value['steps'] !== undefined && value['cases'] === undefined;
  r.unknownKeys(
    value,
    '',
    single
      ? [
          'name',
          'description',
          'version',
          'role',
          'variables',
          'answers',
          'id',
          'title',
          'octt',
          'timeoutSec',
          'steps',
        ]
      : ['name', 'description', 'version', 'role', 'variables', 'answers', 'cases'],
  );
  const version = value['version'];
  if (!isOcppVersion(version)) r.add('/version', `"version" must be one of ${OCPP_VERSIONS.join(', ')}`);
  const role = value['role'];
  if (role !== 'csms' && role !== 'station')
    r.add(
      '/role',
      '"role" must be "csms" (the tool is the CSMS, a charger is tested) or "station" (a CSMS is tested)',
    );
  const answers = r.answers(value['answers'], '/answers');
  let variables: Record<string, JsonValue> | undefined;
  if (value['variables'] !== undefined) {
    if (!isJsonObject(value['variables']))
      r.add('/variables', '"variables" must be an object: name -> value');
    else variables = value['variables'];
  }
  const known = Object.keys(variables ?? {});
  const description = r.string(value, 'description', '', false);
  let name: string | undefined;
  const cases: ScenarioCase[] = [];
  if (single) {
    const { name: n, version: _v, role: _r, answers: _a, description: _d, variables: _vars, ...rest } = value;
    name =
      typeof n === 'string' && n !== '' ? n : typeof rest['title'] === 'string' ? rest['title'] : 'scenario';
    const c = caseAt(r, { id: 'case', title: name, ...rest }, '', known);
    if (c) cases.push(c);
  } else {
    name = r.string(value, 'name', '', true);
    const list = value['cases'];
    if (!Array.isArray(list) || list.length === 0) r.add('/cases', '"cases" must be a non-empty list');
    else {
      const ids = new Set<string>();
      list.forEach((c, i) => {
        const parsed = caseAt(r, c, `/cases/${i}`, known);
        if (!parsed) return;
        if (ids.has(parsed.id)) r.add(`/cases/${i}/id`, `case id "${parsed.id}" is used twice`);
        ids.add(parsed.id);
        cases.push(parsed);
      });
    }
  }
  if (
    r.problems.length > 0 ||
    name === undefined ||
    !isOcppVersion(version) ||
    (role !== 'csms' && role !== 'station')
  )
    return { ok: false, problems: r.problems };
  return {
    ok: true,
    scenario: {
      name,
      ...(description !== undefined ? { description } : {}),
      version,
      role,
      ...(variables !== undefined ? { variables } : {}),
      ...(answers !== undefined ? { answers } : {}),
      cases,
    },
  };
}

/** Parses scenario file text: JSON syntax errors are problems too. */
export function parseScenario(text: string): ScenarioParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: '/', message: `not valid JSON: ${(e as Error).message}` }] };
  }
  return readScenario(value);
}

/** True when a case needs a person (a prompt step). */
export function needsPerson(c: ScenarioCase): boolean {
  return c.steps.some((s) => s.step === 'prompt');
}
