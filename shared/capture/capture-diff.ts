import { parseFrame } from '../ocpp/frame';
import type { Frame } from '../ocpp/frame-types';
import type { FrameEvent, Sender } from './events';
import type { IgnoreRules } from './ignore-rules';
import { DEFAULT_IGNORE } from './ignore-rules';
import type { ReplayDiff } from './replay-diff';
import { diffFrames } from './replay-diff';
import type { ReplayReportItem } from './replay-report';

/**
 * The offline diff of two recorded connections (two captures of the same charger, before and after a firmware
 * update...) with the replay's report and comparison: each side's CALLs and SENDs are taken in order with their
 * answers, paired by (sender, action) in order, and each pair compared with diffFrames under the same ignore rules.
 * What only the first has is `missing`, what only the second has is `unexpected`; a CALL answered in one and not in
 * the other is `timed-out`. Request differences are reported under /request, answer differences under /answer.
 */

export interface Exchange {
  sender: Sender;
  action: string;
  id: string;
  request: Frame;
  answer?: Frame;
}

/** How far ahead the pairing looks for a counterpart: bounded work on long, very different captures. */
export const LOOKAHEAD = 500;

/** The exchanges of one connection's frames, in order: each CALL or SEND with the answer that shares its id. */
export function exchangesOf(frames: readonly FrameEvent[]): Exchange[] {
  const out: Exchange[] = [];
  const open = new Map<string, Exchange>(); // `${requestSender} ${id}` -> its exchange, until answered
  for (const f of frames) {
    if (f.binary) continue;
    const r = parseFrame(f.text);
    if (!r.ok) continue;
    const frame = r.frame;
    if (frame.type === 2 || frame.type === 6) {
      const ex: Exchange = { sender: f.sender, action: frame.action, id: frame.id, request: frame };
      out.push(ex);
      if (frame.type === 2) open.set(`${f.sender} ${frame.id}`, ex);
    } else {
      const requester: Sender = f.sender === 'station' ? 'csms' : 'station';
      const key = `${requester} ${frame.id}`;
      const ex = open.get(key);
      if (ex) {
        ex.answer = frame;
        open.delete(key);
      }
    }
  }
  return out;
}

const who = (s: Sender): string => (s === 'station' ? 'charger' : 'CSMS');

function prefixed(prefix: string, diffs: ReplayDiff[]): ReplayDiff[] {
  return diffs.map((d) => ({ ...d, path: d.path === '/' ? prefix : `${prefix}${d.path}` }));
}

export function diffExchanges(
  first: readonly Exchange[],
  second: readonly Exchange[],
  ignore: IgnoreRules = DEFAULT_IGNORE,
): ReplayReportItem[] {
  const items: ReplayReportItem[] = [];
  const add = (ex: Exchange, outcome: ReplayReportItem['outcome'], diffs: ReplayDiff[] = []): void => {
    items.push({
      index: items.length,
      action: `${ex.action} (${who(ex.sender)})`,
      messageId: ex.id,
      outcome,
      diffs,
    });
  };
  let j = 0;
  for (const a of first) {
    let k = -1;
    for (let n = j; n < second.length && n < j + LOOKAHEAD; n++) {
      const b = second[n]!;
      if (b.sender === a.sender && b.action === a.action) {
        k = n;
        break;
      }
    }
    if (k < 0) {
      add(a, 'missing');
      continue;
    }
    for (; j < k; j++) add(second[j]!, 'unexpected');
    const b = second[k]!;
    j = k + 1;
    const diffs = prefixed('/request', diffFrames(a.request, b.request, ignore));
    if (a.answer && b.answer) diffs.push(...prefixed('/answer', diffFrames(a.answer, b.answer, ignore)));
    if ((a.answer === undefined) !== (b.answer === undefined)) {
      add(b, 'timed-out', [
        {
          path: '/answer',
          recorded: a.answer ? 'answered' : 'no answer',
          live: b.answer ? 'answered' : 'no answer',
        },
      ]);
      continue;
    }
    add(b, diffs.length ? 'differed' : 'matched', diffs);
  }
  for (; j < second.length; j++) add(second[j]!, 'unexpected');
  return items;
}
