import { useEffect, useState } from 'react';
import { useStore, useStoreInstance } from '../../state/hooks';
import type { OpenedEvent } from '../../types';

/**
 * The upgrades of a connection, newest first (a proxied pair has one per leg): the selected row when it is one,
 * else from the live log in memory, else (a capture) asked of the engine's index.
 */
export function useOpenedEvents(conn: string | undefined): OpenedEvent[] {
  const store = useStoreInstance();
  const selected = useStore((s) => s.selected);
  const version = useStore((s) => s.logVersion);
  const source = useStore((s) => s.activeSource);
  const isLive = useStore((s) => s.activeSource === s.liveSource);
  const [fromCapture, setFromCapture] = useState<OpenedEvent[]>([]);
  useEffect(() => {
    setFromCapture([]);
    if (isLive || !conn || !source) return;
    let current = true;
    store.api.queryEvents(source, { connection: conn, filter: 'kind:opened' }, 0, 4).then(
      (page) => {
        const opened = page.events.filter((e): e is OpenedEvent => e.kind === 'opened').reverse();
        if (current) setFromCapture(opened);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [store, conn, source, isLive]);

  if (selected?.kind === 'opened' && (conn === undefined || selected.conn === conn) && !selected.leg)
    return [selected];
  if (!conn) return [];
  if (!isLive) return fromCapture;
  void version;
  const out: OpenedEvent[] = [];
  for (const log of store.live.values()) {
    for (let i = log.events.length - 1; i >= 0 && out.length < 2; i--) {
      const e = log.events[i]!;
      if (e.kind === 'opened' && e.conn === conn) out.push(e);
    }
  }
  return out;
}
