import type { ReplaySettings } from '../../../../shared/api';
import { useStore } from '../../state/hooks';
import type { ReplayForm } from './use-replay-form';
import { useRecordedConnections } from './use-replay-form';

/** What to replay, which side the tool plays, against whom, and how (speed, times, ignore rules, timeout). */
export function ReplayFormFields({
  form,
  update,
  source,
}: {
  form: ReplayForm;
  update: (patch: Partial<ReplayForm>) => void;
  source: string | undefined;
}) {
  const sources = useStore((s) => s.sources.filter((x) => x.kind === 'capture'));
  const chargers = useStore((s) => s.connections.filter((c) => c.state === 'open' && c.role !== 'station'));
  const recorded = useRecordedConnections(source);
  return (
    <>
      <label className="field">
        <span>Capture to replay</span>
        <select
          className="input"
          value={source ?? ''}
          onChange={(e) => update({ sourceId: e.target.value, recordedConn: '' })}
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
            value={form.recordedConn}
            onChange={(e) => update({ recordedConn: e.target.value })}
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
          value={form.side}
          onChange={(e) => update({ side: e.target.value as ReplaySettings['side'] })}
          data-testid="replay-side"
        >
          <option value="station">the station: connect to a CSMS and send the recorded station frames</option>
          <option value="csms">
            the CSMS: answer a charger on the endpoint with the recorded CSMS frames
          </option>
        </select>
      </label>
      {form.side === 'station' ? (
        <label className="field">
          <span>CSMS URL (with the identity)</span>
          <input
            className="input mono"
            value={form.url}
            onChange={(e) => update({ url: e.target.value })}
            data-testid="replay-target"
          />
        </label>
      ) : (
        <label className="field">
          <span>Charger</span>
          <select
            className="input"
            value={chargers.some((c) => c.id === form.charger) ? form.charger : ''}
            onChange={(e) => update({ charger: e.target.value })}
            data-testid="replay-target"
          >
            <option value="">the next charger that connects (fresh, as replay --listen)</option>
            {chargers.map((c) => (
              <option key={c.id} value={c.id}>
                {c.identity} (connected now)
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
            value={form.speed}
            onChange={(e) => update({ speed: Number(e.target.value) })}
            data-testid="replay-speed"
          >
            <option value={0}>As fast as the peer answers</option>
            <option value={1}>Recorded timing</option>
            <option value={2}>2× faster</option>
            <option value={10}>10× faster</option>
          </select>
        </label>
        <label className="field" title="How long to wait for the charger, and for each answer">
          <span>Timeout (s)</span>
          <input
            className="input"
            type="number"
            min={1}
            max={86400}
            value={form.timeoutSec}
            onChange={(e) => update({ timeoutSec: Math.max(1, Number(e.target.value) || 1) })}
            data-testid="replay-timeout"
          />
        </label>
      </div>
      <label
        className="field"
        title="Compared by kind only: field names, JSON pointers (/meterValue/*/timestamp), @timestamps for every ISO time"
      >
        <span>Ignore (field names or /json/pointers, comma-separated)</span>
        <input
          className="input mono"
          value={form.ignore}
          onChange={(e) => update({ ignore: e.target.value })}
          data-testid="replay-ignore"
        />
      </label>
      <label className="check" style={{ marginBottom: 12 }}>
        <input
          type="checkbox"
          checked={form.shift}
          onChange={(e) => update({ shift: e.target.checked })}
          data-testid="replay-shift"
        />
        Move recorded times (currentTime, timestamp…) to when each frame is sent
      </label>
    </>
  );
}
