import { isJsonObject, type JsonValue } from '../../../../shared/ocpp/json';
import { jsonTextDepth, stringifyJson } from '../../../../shared/ocpp/json-deep';
import { MAX_VIEW_DEPTH, payloadIndex } from '../../logic/json-tokens';
import type { FrameEvent } from '../../types';
import { CopyButton } from '../common';
import { JsonView } from '../json-view';

/** Frames larger than this are shown raw only: tokenizing megabytes of JSON into spans would stall the window. */
const PRETTY_LIMIT = 256 * 1024;

/** Indented when that stays small; a payload nested absurdly deep is copied compact (indenting it is quadratic). */
function copyText(payload: JsonValue, frameText: string): string {
  return jsonTextDepth(frameText) > MAX_VIEW_DEPTH
    ? stringifyJson(payload)
    : JSON.stringify(payload, null, 2);
}

function parsed(text: string): JsonValue | undefined {
  if (text.length > PRETTY_LIMIT) return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/** The payload as a tree, with the paths findings point at marked; a large frame says why it has no tree. */
export function FramePayload({ e }: { e: FrameEvent }) {
  if (e.text.length > PRETTY_LIMIT)
    return (
      <div className="muted mt">
        A large frame ({e.text.length.toLocaleString('en-US')} characters): the pretty view is off so the
        window stays quick; the raw text is below.
      </div>
    );
  const value = parsed(e.text);
  const idx = payloadIndex(e.msg?.type);
  const payload = Array.isArray(value) && idx !== undefined ? value[idx] : undefined;
  if (payload === undefined || !isJsonObject(payload)) return null;
  const flagged = e.findings.map((f) => f.path).filter((p): p is string => p !== undefined);
  return (
    <>
      <div className="block-title">
        Payload
        <span className="spacer" />
        <CopyButton text={copyText(payload, e.text)} label="Copy JSON" testId="copy-payload" />
      </div>
      <JsonView value={payload} flagged={flagged} testId="detail-payload" />
    </>
  );
}
