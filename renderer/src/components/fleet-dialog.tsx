import { useEffect, useState } from 'react';
import type { FleetSettings, FleetStatus } from '../../../shared/api';
import { OCPP_VERSIONS, type OcppVersion } from '../../../shared/ocpp/versions';
import { useStoreInstance } from '../state/hooks';
import { Dialog } from './common';
import { SimulatorExtraFields, withExtras } from './simulator-extra-fields';

/** Starts (or stops) a fleet of simulated stations and shows how far it got. */
export function FleetDialog({ onClose }: { onClose: () => void }) {
  const store = useStoreInstance();
  const [s, setS] = useState<FleetSettings>({
    url: 'ws://127.0.0.1:9000/ocpp',
    prefix: 'SIM',
    count: 10,
    protocol: '1.6',
    connectors: 2,
    autoTransactions: true,
  });
  const [status, setStatus] = useState<FleetStatus>();
  const [error, setError] = useState<string>();
  const [extrasOk, setExtrasOk] = useState(true);
  useEffect(() => {
    let live = true;
    const poll = () =>
      void store.api.getFleet().then(
        (f) => live && setStatus(f),
        () => undefined,
      );
    poll();
    const t = setInterval(poll, 1000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [store]);
  const valid =
    /^wss?:\/\/[^/]+/i.test(s.url) &&
    s.prefix.trim() !== '' &&
    s.count >= 1 &&
    s.count <= 100_000 &&
    extrasOk;
  const start = async () => {
    setError(undefined);
    try {
      setStatus(await store.api.startFleet({ ...s, prefix: s.prefix.trim() }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <Dialog
      title="Fleet of simulated stations"
      onClose={onClose}
      testId="fleet-dialog"
      actions={[
        ...(status?.running
          ? [
              {
                label: 'Stop fleet',
                testId: 'fleet-stop',
                onClick: () => void store.api.stopFleet().then(setStatus),
              },
            ]
          : []),
        {
          label: status?.running ? 'Restart fleet' : 'Start fleet',
          testId: 'fleet-start',
          primary: true,
          disabled: !valid,
          onClick: () => void start(),
        },
      ]}
    >
      <label className="field">
        <span>CSMS base URL (station X connects to URL/X)</span>
        <input
          className="input mono"
          data-testid="fleet-url"
          value={s.url}
          onChange={(e) => setS({ ...s, url: e.target.value })}
        />
      </label>
      <div className="field-row field">
        <label className="field grow">
          <span>Identity prefix (PREFIX-1 … PREFIX-N)</span>
          <input
            className="input mono"
            data-testid="fleet-prefix"
            value={s.prefix}
            onChange={(e) => setS({ ...s, prefix: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Stations</span>
          <input
            className="input"
            type="number"
            min={1}
            max={100000}
            data-testid="fleet-count"
            value={s.count}
            onChange={(e) => setS({ ...s, count: Math.max(1, Math.floor(Number(e.target.value) || 1)) })}
          />
        </label>
        <label className="field">
          <span>Connectors</span>
          <input
            className="input"
            type="number"
            min={1}
            max={32}
            data-testid="fleet-connectors"
            value={s.connectors}
            onChange={(e) =>
              setS({ ...s, connectors: Math.min(32, Math.max(1, Math.floor(Number(e.target.value) || 1))) })
            }
          />
        </label>
        <label className="field">
          <span>Version</span>
          <select
            className="input"
            data-testid="fleet-version"
            value={s.protocol}
            onChange={(e) => setS({ ...s, protocol: e.target.value as OcppVersion })}
          >
            {OCPP_VERSIONS.map((v) => (
              <option key={v} value={v}>
                OCPP {v}
              </option>
            ))}
          </select>
        </label>
      </div>
      <SimulatorExtraFields
        testId="fleet"
        versions={[s.protocol]}
        connectors={s.connectors}
        value={s}
        onChange={(x) => setS(withExtras(s, x))}
        onValidity={setExtrasOk}
      />
      <label className="check">
        <input
          type="checkbox"
          data-testid="fleet-auto"
          checked={s.autoTransactions}
          onChange={(e) => setS({ ...s, autoTransactions: e.target.checked })}
        />
        Generate transactions (random plug-in, card, charge, leave on every connector)
      </label>
      {status?.running && (
        <p data-testid="fleet-status">
          {status.open} of {status.count} connected, {status.booted} booted, {status.transactions}{' '}
          transactions running. Their frames are in the log like any other (filter by{' '}
          <span className="mono">cp:{s.prefix}</span>).
        </p>
      )}
      {error && (
        <div className="failure" data-testid="fleet-error">
          {error}
        </div>
      )}
    </Dialog>
  );
}
