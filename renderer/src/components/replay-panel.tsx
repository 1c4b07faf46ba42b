import { useEffect, useState } from 'react';
import type { ReplayItemOutcome, ReplaySettings } from '../../../shared/api';
import { useStore, useStoreInstance } from '../state/hooks';
import { Progress } from './common';

const OUTCOME_TONE: Record<ReplayItemOutcome, string> = {
  matched: 'ok',
  differed: 'warn',
  missing: 'error',
  unexpected: 'warn',
  'timed-out': 'error',
};

function short(v: unknown): string {
  if (v === undefined) return '–';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

export function ReplayPanel() {
  const store = useStoreInstance();
  const sources = useStore((s) => s.sources.filter((x) => x.kind === 'capture'));
  const active = useStore((s) => s.activeSource);
  const replay = useStore((s) => s.replay);
  const connections = useStore((s) =>
    s.connections.filter((c) => c.state === 'open' && c.role !== 'station'),
  );
  const [sourceId, setSourceId] = useState<string>();
  const [side, setSide] = useState<ReplaySettings['side']>('station');
  const [url, setUrl] = useState('ws://127.0.0.1:9000/CP001');
  const [conn, setConn] = useState<string>();
  const [speed, setSpeed] = useState(0);
  const [shift, setShift] = useState(true);
  const source = sourceId ?? (sources.some((s) => s.id === active) ? active : sources[0]?.id);
  // The connections recorded in the capture (its `opened` events), so one of several can be replayed.
  const [recorded, setRecorded] = useState<{ id: string; label: string }[]>([]);
  const [recordedConn, setRecordedConn] = useState<string>('');
  useEffect(() => {
    let live = true;
    setRecorded([]);
    setRecordedConn('');
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
  const target = side === 'station' ? url : (conn ?? connections[0]?.id ?? '');
  const running = replay.state === 'running';
  const paused = replay.state === 'paused';

  const start = () =>
    store.run('Starting the replay', async () => {
      if (!source) return;
      store.set({
        replay: await store.api.startReplay({
          sourceId: source,
          side,
          target,
          speed,
          shiftTimestamps: shift,
        }),
      });
    });
  const counts = replay.report.reduce<Record<string, number>>((acc, r) => {
    acc[r.outcome] = (acc[r.outcome] ?? 0) + 1;
    return acc;
  }, {});

  return (
    <div className="split" data-testid="replay-panel">
      <div>
        <label className="field">
          <span>Capture to replay</span>
          <select
            className="input"
            value={source ?? ''}
            onChange={(e) => setSourceId(e.target.value)}
            data-testid="replay-source"
          >
            {sources.length === 0 && <option value="">open a capture first</option>}
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        {recorded.length > 1 && (
          <label className="field">
            <span>Recorded connection</span>
            <select
              className="input"
              value={recordedConn}
              onChange={(e) => setRecordedConn(e.target.value)}
              data-testid="replay-connection"
            >
              <option value="">the first one</option>
              {recorded.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        )}
        <label className="field">
          <span>This tool plays</span>
          <select
            className="input"
            value={side}
            onChange={(e) => setSide(e.target.value as ReplaySettings['side'])}
            data-testid="replay-side"
          >
            <option value="station">
              the station: connect to a CSMS and send the recorded station frames
            </option>
            <option value="csms">the CSMS: send the recorded CSMS frames to a charger on the endpoint</option>
          </select>
        </label>
        {side === 'station' ? (
          <label className="field">
            <span>CSMS URL (with the identity)</span>
            <input
              className="input mono"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              data-testid="replay-target"
            />
          </label>
        ) : (
          <label className="field">
            <span>Charger</span>
            <select
              className="input"
              value={target}
              onChange={(e) => setConn(e.target.value)}
              data-testid="replay-target"
            >
              {connections.length === 0 && <option value="">no charger connected</option>}
              {connections.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.identity}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="field-row">
          <label className="field grow">
            <span>Speed</span>
            <select
              className="input"
              value={speed}
              onChange={(e) => setSpeed(Number(e.target.value))}
              data-testid="replay-speed"
            >
              <option value={0}>As fast as the peer answers</option>
              <option value={1}>Recorded timing</option>
              <option value={2}>2× faster</option>
              <option value={10}>10× faster</option>
            </select>
          </label>
        </div>
        <label className="check" style={{ marginBottom: 12 }}>
          <input type="checkbox" checked={shift} onChange={(e) => setShift(e.target.checked)} />
          Shift timestamps in payloads to now
        </label>
        <div className="row">
          <button
            type="button"
            className="btn primary"
            data-testid="replay-start"
            disabled={!source || !target || running}
            onClick={() => void start()}
          >
            {replay.state === 'done' || replay.state === 'failed' ? 'Replay again' : 'Start'}
          </button>
          {running && (
            <button
              type="button"
              className="btn"
              data-testid="replay-pause"
              onClick={() =>
                void store.run('Pausing', async () => store.set({ replay: await store.api.pauseReplay() }))
              }
            >
              Pause
            </button>
          )}
          {paused && (
            <button
              type="button"
              className="btn"
              data-testid="replay-resume"
              onClick={() =>
                void store.run('Resuming', async () => store.set({ replay: await store.api.resumeReplay() }))
              }
            >
              Resume
            </button>
          )}
          <button
            type="button"
            className="btn"
            data-testid="replay-step"
            disabled={!paused}
            title="While paused: send the next recorded frame only"
            onClick={() =>
              void store.run('Stepping', async () => store.set({ replay: await store.api.stepReplay() }))
            }
          >
            Step
          </button>
        </div>
      </div>
      <div>
        <div className="row" style={{ marginBottom: 8 }}>
          <span className="badge" data-testid="replay-state">
            {replay.state}
          </span>
          <Progress value={replay.position} total={replay.total} testId="replay-progress" />
          <span className="count">
            {replay.position} / {replay.total}
          </span>
        </div>
        {replay.error && <div className="failure">{replay.error}</div>}
        {replay.report.length === 0 ? (
          <div className="empty">
            Open a capture, choose which side this tool plays and where the live peer is, then <b>Start</b>.
            Each recorded exchange is compared with what the live peer answers; differences show here with
            their paths.
          </div>
        ) : (
          <>
            <div className="row wrap" style={{ marginBottom: 8 }} data-testid="replay-summary">
              {Object.entries(counts).map(([k, n]) => (
                <span key={k} className={`badge ${OUTCOME_TONE[k as ReplayItemOutcome]}`}>
                  {n} {k}
                </span>
              ))}
            </div>
            <table className="grid" data-testid="replay-report">
              <thead>
                <tr>
                  <th>#</th>
                  <th>Action</th>
                  <th>Outcome</th>
                  <th>Differences (recorded → live)</th>
                </tr>
              </thead>
              <tbody>
                {replay.report.map((r) => (
                  <tr key={r.index} data-testid="replay-item" data-outcome={r.outcome}>
                    <td className="mono">{r.index}</td>
                    <td>
                      {r.action}
                      {r.messageId && (
                        <div className="muted mono" style={{ fontSize: 11 }}>
                          {r.messageId}
                        </div>
                      )}
                    </td>
                    <td>
                      <span className={`badge ${OUTCOME_TONE[r.outcome]}`}>{r.outcome}</span>
                    </td>
                    <td className="mono" style={{ fontSize: 11 }}>
                      {r.diffs.length === 0
                        ? '–'
                        : r.diffs.slice(0, 6).map((d, i) => (
                            <div key={i}>
                              <span className="muted">{d.path || '/'}</span> {short(d.recorded)} →{' '}
                              {short(d.live)}
                            </div>
                          ))}
                      {r.diffs.length > 6 && <div className="muted">and {r.diffs.length - 6} more</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </div>
    </div>
  );
}
