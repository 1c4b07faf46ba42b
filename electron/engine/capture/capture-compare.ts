import type { ReplayStatus } from '../../../shared/capture/replay-report';
import type { FrameEvent } from '../../../shared/capture/events';
import type { IgnoreRules } from '../../../shared/capture/ignore-rules';
import { diffExchanges, exchangesOf } from '../../../shared/capture/capture-diff';
import type { EventSource } from './event-source';

/**
 * The offline diff of two sources (captures, HAR, pcap) for the CLI's `diff` and the captures library: reads one
 * connection's frames from each (the first with frames unless told) and reports with the replay's report shape.
 */

/** Frames kept per side: the diff holds both connections in memory. */
export const MAX_DIFF_FRAMES = 200_000;

interface Side {
  conn: string;
  label: string;
  frames: FrameEvent[];
}

async function connectionOf(source: EventSource, conn: string | undefined): Promise<Side> {
  const frames = new Map<string, FrameEvent[]>();
  const identities = new Map<string, string>();
  let kept = 0;
  for await (const e of source.events()) {
    if (e.kind === 'opened' && e.connection.identity) identities.set(e.conn, e.connection.identity);
    if (e.kind !== 'frame' || (conn !== undefined && e.conn !== conn)) continue;
    if (conn === undefined && frames.size > 0 && !frames.has(e.conn)) continue;
    if (++kept > MAX_DIFF_FRAMES)
      throw new Error(
        `${source.name}: more than ${MAX_DIFF_FRAMES.toLocaleString('en')} frames on one connection; cut the capture first (inspect --from/--to).`,
      );
    let list = frames.get(e.conn);
    if (!list) frames.set(e.conn, (list = []));
    list.push(e);
  }
  const chosen = conn ?? [...frames.keys()][0];
  if (chosen === undefined || !frames.has(chosen))
    throw new Error(
      conn === undefined
        ? `${source.name} holds no frames.`
        : `${source.name} has no frames on connection ${conn}.`,
    );
  const identity = identities.get(chosen);
  return { conn: chosen, label: identity ? `${identity} (${chosen})` : chosen, frames: frames.get(chosen)! };
}

export async function compareSources(
  first: EventSource,
  second: EventSource,
  options: { ignore: IgnoreRules; connectionA?: string; connectionB?: string; now?: () => number },
): Promise<ReplayStatus> {
  const startedAt = options.now?.() ?? Date.now();
  await Promise.all([first.whenIndexed(), second.whenIndexed()]);
  const a = await connectionOf(first, options.connectionA);
  const b = await connectionOf(second, options.connectionB);
  const report = diffExchanges(exchangesOf(a.frames), exchangesOf(b.frames), options.ignore);
  return {
    state: 'done',
    position: report.length,
    total: report.length,
    report,
    label: {
      kind: 'diff',
      capture: first.name,
      connection: a.label === b.label ? a.label : `${a.label} / ${b.label}`,
      target: second.name,
      startedAt,
      finishedAt: options.now?.() ?? Date.now(),
      ignore: [...options.ignore.source],
    },
  };
}
