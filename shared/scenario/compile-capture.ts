import type { FrameEvent, ScopeEvent } from '../capture/events';
import { isIdKey, isTimestamp } from '../capture/replay-diff';
import { parseFrame } from '../ocpp/frame';
import type { Frame } from '../ocpp/frame-types';
import type { JsonObject, JsonValue } from '../ocpp/json';
import { appendPointer } from '../ocpp/json-pointer';
import type { OcppVersion } from '../ocpp/versions';
import type { Matcher, Scenario, ScenarioRole, Step } from './scenario-types';

/**
 * Compiles one recorded connection into a scenario (replay as a scenario source): the frames the tool's side sent
 * become `send` steps (our timestamps become `{{now}}`), the peer's become `expect` steps (statuses and error codes
 * must match, other fields must be there), and what the tool answered to the peer's calls becomes an `answer` step
 * before each expect. Ids the peer assigned (a transactionId...) are captured and used in later sends, the same
 * id keys the replay carries over (replay-diff.ts). Pure: the events in, a scenario out, or the reason it cannot.
 */

export interface CompileOptions {
  /** The side the tool plays when the scenario runs: 'csms' tests the recorded charger's behaviour. */
  role: ScenarioRole;
  /** Which connection (default: the first with frames). */
  connection?: string;
  name?: string;
  version?: OcppVersion;
}

const MAX_STEPS = 2000;

function walkTimestamps(v: JsonValue, depth = 0): JsonValue {
  if (depth > 64) return v;
  if (isTimestamp(v)) return '{{now}}';
  if (Array.isArray(v)) return v.map((x) => walkTimestamps(x, depth + 1));
  if (v !== null && typeof v === 'object') {
    const o: JsonObject = {};
    for (const [k, x] of Object.entries(v)) o[k] = walkTimestamps(x, depth + 1);
    return o;
  }
  return v;
}

/** status fields must be equal; ids the peer assigns are captured; other top-level fields must be present. */
function matchersFor(
  payload: JsonValue,
  ids: Map<string, string>,
  counter: { n: number },
): {
  match: Record<string, Matcher>;
  capture: Record<string, string>;
} {
  const match: Record<string, Matcher> = {};
  const capture: Record<string, string> = {};
  const walk = (v: JsonValue, path: string, key: string | undefined, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(v)) return;
    if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, appendPointer(path, k), k, depth + 1);
      return;
    }
    if (key === undefined) return;
    if (isIdKey(key) && (typeof v === 'string' || typeof v === 'number')) {
      const name = `${key}${++counter.n}`;
      capture[name] = path;
      ids.set(`${key}=${JSON.stringify(v)}`, name);
      match[path] = { type: typeof v === 'number' ? 'number' : 'string' };
    } else if (/(^s|S)tatus$/.test(key) || key === 'eventType' || key === 'errorCode')
      match[path] = { equals: v };
    else if (depth === 1) match[path] = { exists: true };
  };
  walk(payload, '', undefined, 0);
  return { match, capture };
}

/** Replaces recorded peer-assigned ids in our payloads by their captures. */
function useCaptures(v: JsonValue, ids: Map<string, string>, key?: string, depth = 0): JsonValue {
  if (depth > 64) return v;
  if (Array.isArray(v)) return v.map((x) => useCaptures(x, ids, key, depth + 1));
  if (v !== null && typeof v === 'object') {
    const o: JsonObject = {};
    for (const [k, x] of Object.entries(v)) o[k] = useCaptures(x, ids, k, depth + 1);
    return o;
  }
  if (key !== undefined && (typeof v === 'string' || typeof v === 'number')) {
    const name = ids.get(`${key}=${JSON.stringify(v)}`);
    if (name) return `{{${name}}}`;
  }
  return v;
}

export function compileCapture(
  events: readonly ScopeEvent[],
  options: CompileOptions,
): Scenario | { error: string } {
  const frames = events.filter((e): e is FrameEvent => e.kind === 'frame' && !e.binary);
  const conn = options.connection ?? frames[0]?.conn;
  if (conn === undefined) return { error: 'The capture has no frames to compile.' };
  const mine = frames.filter((f) => f.conn === conn);
  if (mine.length === 0) return { error: `The capture has no frames on connection ${conn}.` };
  const opened = events.find((e) => e.kind === 'opened' && e.conn === conn);
  const version = options.version ?? (opened?.kind === 'opened' ? opened.connection.version : undefined);
  if (!version) return { error: 'The OCPP version of the connection is not known: give it.' };
  const ours = options.role === 'csms' ? 'csms' : 'station';
  const parsed = mine.map((f) => ({ f, r: parseFrame(f.text, version) }));
  const ourCalls = new Map<string, number>();
  const theirCalls = new Map<string, string>();
  const ids = new Map<string, string>();
  const counter = { n: 0 };
  const steps: Step[] = [];
  for (const { f, r } of parsed) {
    if (steps.length >= MAX_STEPS) break;
    const frame: Frame | undefined = r.ok ? r.frame : undefined;
    if (f.sender === ours) {
      if (!frame) {
        steps.push({ step: 'send', raw: f.text });
        continue;
      }
      if (frame.type === 2 || frame.type === 6) {
        ourCalls.set(frame.id, steps.length);
        steps.push({
          step: 'send',
          action: frame.action,
          payload: useCaptures(walkTimestamps(frame.payload), ids) as JsonObject,
        });
        continue;
      }
      // Our answer to a peer CALL: becomes the answer rule set before that CALL is expected.
      const action = theirCalls.get(frame.id);
      if (action === undefined) continue;
      const rule =
        frame.type === 3
          ? { payload: useCaptures(walkTimestamps(frame.payload), ids) as JsonObject }
          : frame.type === 4 || frame.type === 5
            ? { error: { code: frame.errorCode, description: frame.errorDescription } }
            : undefined;
      const at = steps.findIndex((s) => s.step === 'expect' && s.title === `#${frame.id}`);
      if (rule && at >= 0) steps.splice(at, 0, { step: 'answer', action, with: rule });
      continue;
    }
    if (!frame) continue;
    if (frame.type === 2 || frame.type === 6) {
      theirCalls.set(frame.id, frame.action);
      const { match, capture } = matchersFor(frame.payload, ids, counter);
      steps.push({
        step: 'expect',
        title: `#${frame.id}`,
        messageType: frame.type === 2 ? 'CALL' : 'SEND',
        action: frame.action,
        ...(Object.keys(match).length ? { match } : {}),
        ...(Object.keys(capture).length ? { capture } : {}),
      });
      continue;
    }
    if (!ourCalls.has(frame.id)) continue;
    if (frame.type === 3) {
      const { match, capture } = matchersFor(frame.payload, ids, counter);
      steps.push({
        step: 'expect',
        messageType: 'CALLRESULT',
        ...(Object.keys(match).length ? { match } : {}),
        ...(Object.keys(capture).length ? { capture } : {}),
      });
    } else steps.push({ step: 'expect', messageType: 'CALLERROR', errorCode: frame.errorCode });
  }
  // The titles only paired answers with the expects they precede; a person reads the generated description better.
  for (const s of steps) if (s.step === 'expect' && s.title?.startsWith('#')) delete s.title;
  if (steps.length === 0) return { error: 'Nothing on this connection can be compiled into steps.' };
  const name = options.name ?? `recorded ${conn}`;
  return {
    name,
    description: `Compiled from a recording of connection ${conn}${opened?.kind === 'opened' ? ` (${opened.connection.identity})` : ''}.`,
    version,
    role: options.role,
    cases: [{ id: 'recorded', title: name, steps }],
  };
}
