import type { FrameEvent } from '../../shared/capture/events';
import { redactEvent, redactFrameText } from '../../shared/capture/redact';
import { RedactionTally } from '../../shared/capture/redaction-report';
import { structuralDiff } from '../../shared/capture/replay-diff';
import { actionsOf } from '../../shared/ocpp/actions';
import { exampleRequest, exampleResponse } from '../../shared/ocpp/examples';
import { buildCall, buildCallError, buildCallResult, parseFrame } from '../../shared/ocpp/frame';
import type { JsonValue } from '../../shared/ocpp/json';
import { boundedJson, stringifyJson } from '../../shared/ocpp/json-deep';
import { FramePipeline } from '../../shared/ocpp/pipeline';
import { OCPP_VERSIONS } from '../../shared/ocpp/versions';
import type { OcppVersion } from '../../shared/ocpp/versions';
import { eventToText } from '../../electron/engine/connections/event-text';
import { jsonTokens } from '../../renderer/src/logic/json-tokens';

/**
 * What happens to one frame's text anywhere in the tool, as a fuzz target: the analysis pipeline of each version
 * (parse, pairing, schema, 1.6 integer notation, behaviour rules) from both sides, redaction, the replay diff
 * against the frame it was mutated from, the terminal line and the UI's JSON view. Any exception is a crash, and so
 * is a rule-failed finding (a rule's exception, which the pipeline records instead of throwing).
 */

export interface FrameSeed {
  version: OcppVersion;
  text: string;
}

/** Valid frames of every version: a CALL, its CALLRESULT and a CALLERROR for each action the version defines. */
export function frameSeeds(): FrameSeed[] {
  const out: FrameSeed[] = [];
  for (const version of OCPP_VERSIONS) {
    for (const a of actionsOf(version)) {
      out.push({ version, text: buildCall('id-1', a.name, exampleRequest(version, a.name)) });
      if (!a.sendOnly) out.push({ version, text: buildCallResult('id-1', exampleResponse(version, a.name)) });
    }
    out.push({ version, text: buildCallError('id-1', 'GenericError', 'x', { password: 'p' }) });
  }
  return out;
}

/** One pipeline per version and side, kept across inputs as a long-lived connection keeps its own. */
const pipelines = new Map<string, FramePipeline>();
let seq = 0;

function pipelineOf(version: OcppVersion | undefined): FramePipeline {
  const key = version ?? 'none';
  let p = pipelines.get(key);
  if (!p) pipelines.set(key, (p = new FramePipeline(version)));
  return p;
}

function noRuleFailed(findings: readonly { code: string; message: string }[]): void {
  const failed = findings.find((f) => f.code === 'rule-failed');
  if (failed) throw new Error(failed.message);
}

export function runFrame(seed: FrameSeed, text: string): void {
  for (const version of [seed.version, undefined]) {
    const p = pipelineOf(version);
    for (const sender of ['station', 'csms'] as const) {
      const s = seq++;
      const a = p.analyze(text, sender, s, s, s);
      // The pipeline turns a rule's throw into a finding (guarded-observer.ts): for the fuzzer it is still a crash.
      noRuleFailed(a.findings);
      // The rules' other ways in: the passing time (at times hours at once, so that what they wait for expires) and,
      // now and then, the close (which starts the connection afresh).
      noRuleFailed(p.advance(s % 50 === 0 ? s + 3_600_000 : s).map((x) => x.finding));
      if (s % 1000 === 999) noRuleFailed(p.closed(s).map((x) => x.finding));
      const event: FrameEvent = {
        kind: 'frame',
        seq: s,
        t: 1_700_000_000_000 + s,
        mono: s,
        conn: 'c1',
        sender,
        text,
        findings: a.findings,
        ...(a.msg ? { msg: a.msg } : {}),
        ...(a.problem ? { problem: a.problem } : {}),
        ...(a.pair ? { pair: a.pair } : {}),
      };
      eventToText(event);
      redactEvent(event, new RedactionTally());
    }
  }
  redactFrameText(text, new RedactionTally());
  const parsed = parseFrame(text, seed.version);
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return;
  }
  structuralDiff(JSON.parse(seed.text), value);
  stringifyJson(value);
  boundedJson(value);
  jsonTokens(value, new Set(['/2', '/3/a']));
  void parsed;
}
