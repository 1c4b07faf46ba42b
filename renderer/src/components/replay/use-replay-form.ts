import { useEffect, useState } from 'react';
import type { ReplaySettings } from '../../../../shared/api';
import { DEFAULT_IGNORE_RULES } from '../../../../shared/capture/ignore-rules';
import { useStoreInstance } from '../../state/hooks';

/** What the Replay form holds; kept across tab switches (module state), so leaving the tab loses nothing. */
export interface ReplayForm {
  sourceId?: string;
  recordedConn: string;
  side: ReplaySettings['side'];
  url: string;
  /** csms side: '' waits for the next charger that connects; else the id of a connected charger. */
  charger: string;
  speed: number;
  shift: boolean;
  timeoutSec: number;
  ignore: string;
}

let kept: ReplayForm = {
  recordedConn: '',
  side: 'station',
  url: 'ws://127.0.0.1:9000/CP001',
  charger: '',
  speed: 0,
  shift: true,
  timeoutSec: 60,
  ignore: DEFAULT_IGNORE_RULES.join(', '),
};

/** The ignore rules as typed in the Replay tab: the captures library's diff uses the same ones. */
export function currentIgnoreText(): string {
  return kept.ignore;
}

export function useReplayForm(): [ReplayForm, (patch: Partial<ReplayForm>) => void] {
  const [form, setForm] = useState(kept);
  const update = (patch: Partial<ReplayForm>): void =>
    setForm((f) => {
      kept = { ...f, ...patch };
      return kept;
    });
  return [form, update];
}

/** The connections recorded in a capture (its `opened` events), so one of several can be replayed. */
export function useRecordedConnections(source: string | undefined): { id: string; label: string }[] {
  const store = useStoreInstance();
  const [recorded, setRecorded] = useState<{ id: string; label: string }[]>([]);
  useEffect(() => {
    let live = true;
    setRecorded([]);
    if (!source) return;
    void store.api.queryEvents(source, {}, 0, 5000).then(
      (page) => {
        if (!live) return;
        const seen = new Map<string, string>();
        for (const e of page.events)
          if (e.kind === 'opened' && !seen.has(e.conn))
            seen.set(
              e.conn,
              `${e.connection.identity || e.conn} (${e.connection.role}, ${e.connection.version ?? '?'})`,
            );
        setRecorded([...seen].map(([id, label]) => ({ id, label })));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [source, store]);
  return recorded;
}
