import { useState } from 'react';
import type { SimulatedStationView, SimulatorAction } from '../../../shared/api';
import { useStoreInstance } from '../state/hooks';
import type { ChartSeries } from './connector-chart';
import { ConnectorChart } from './connector-chart';

function kwh(wh: number): string {
  return `${(wh / 1000).toFixed(3)} kWh`;
}

function kw(w: number): string {
  return `${(w / 1000).toFixed(2)} kW`;
}

/**
 * One simulated station as a person at the site sees it: its connectors and their status, the running transaction
 * with live energy and power, and the buttons: plug in, present a card, start, stop, unplug, fault / clear fault,
 * go offline / online, reboot.
 */
export function StationCard({
  view,
  charts,
  chartVersion,
  onChanged,
}: {
  view: SimulatedStationView;
  charts: Map<number, ChartSeries>;
  chartVersion: number;
  onChanged: (v: SimulatedStationView) => void;
}) {
  const store = useStoreInstance();
  const [cards, setCards] = useState<Record<number, string>>({});
  const id = view.identity || view.connectionId;
  const act = (action: SimulatorAction) =>
    void store.api
      .simulatorAction(view.connectionId, action)
      .then(onChanged, (err: unknown) =>
        store.toast(`${id}: ${err instanceof Error ? err.message : String(err)}`, 'error'),
      );
  const state = view.offlineOnPurpose
    ? 'offline'
    : !view.online
      ? 'reconnecting'
      : view.boot === 'accepted'
        ? 'online'
        : `boot ${view.boot}`;
  return (
    <div className="station-card" data-testid={`station-card-${id}`}>
      <div className="station-card-head">
        <strong className="mono">{id}</strong>
        <span className="muted">OCPP {view.version ?? '?'}</span>
        <span
          className={`badge${view.online && view.boot === 'accepted' ? ' ok' : ' warn'}`}
          data-testid={`station-state-${id}`}
        >
          {state}
        </span>
        {view.queuedTransactionMessages > 0 && (
          <span className="badge warn" data-testid={`station-queue-${id}`}>
            {view.queuedTransactionMessages} queued
          </span>
        )}
        <span className="grow" />
        {view.offlineOnPurpose ? (
          <button
            type="button"
            className="btn small"
            data-testid={`station-online-${id}`}
            onClick={() => act({ kind: 'online' })}
          >
            Go online
          </button>
        ) : (
          <button
            type="button"
            className="btn small"
            data-testid={`station-offline-${id}`}
            onClick={() => act({ kind: 'offline' })}
          >
            Go offline
          </button>
        )}
        <button
          type="button"
          className="btn small"
          data-testid={`station-reboot-${id}`}
          onClick={() => act({ kind: 'reboot' })}
        >
          Reboot
        </button>
      </div>
      {view.connectors.map((c) => {
        const tx = c.transaction;
        const tag = cards[c.id] ?? 'CARD-0001';
        const testId = `${id}-${c.id}`;
        return (
          <div className="connector-row" key={c.id} data-testid={`connector-${testId}`}>
            <div className="connector-facts">
              <span className="mono">#{c.id}</span>
              <span className={`badge status-${c.status}`} data-testid={`connector-status-${testId}`}>
                {c.status}
              </span>
              <span data-testid={`connector-power-${testId}`}>{kw(c.powerW)}</span>
              {c.soc !== undefined && <span className="muted">SoC {c.soc} %</span>}
              {tx ? (
                <span data-testid={`connector-tx-${testId}`}>
                  transaction <span className="mono">{tx.id ?? '(waiting for its id)'}</span>
                  {tx.idTag ? ` · ${tx.idTag}` : ''} ·{' '}
                  <span data-testid={`connector-energy-${testId}`}>{kwh(tx.energyWh)}</span>
                </span>
              ) : (
                <span className="muted">meter {kwh(c.energyWh)}</span>
              )}
            </div>
            <div className="row wrap connector-buttons">
              {!c.plugged ? (
                <button
                  type="button"
                  className="btn small"
                  data-testid={`connector-plug-${testId}`}
                  onClick={() => act({ kind: 'plug', connector: c.id })}
                >
                  Plug in
                </button>
              ) : (
                <button
                  type="button"
                  className="btn small"
                  data-testid={`connector-unplug-${testId}`}
                  onClick={() => act({ kind: 'unplug', connector: c.id })}
                >
                  Unplug
                </button>
              )}
              <input
                className="input mono small"
                aria-label="idTag"
                data-testid={`connector-idtag-${testId}`}
                value={tag}
                onChange={(e) => setCards({ ...cards, [c.id]: e.target.value })}
              />
              <button
                type="button"
                className="btn small"
                data-testid={`connector-card-${testId}`}
                disabled={tag.trim() === ''}
                onClick={() => act({ kind: 'card', connector: c.id, idTag: tag.trim() })}
              >
                Present card
              </button>
              {tx?.idTag ? (
                <button
                  type="button"
                  className="btn small"
                  data-testid={`connector-stop-${testId}`}
                  onClick={() => act({ kind: 'stop', connector: c.id })}
                >
                  Stop
                </button>
              ) : (
                <button
                  type="button"
                  className="btn small primary"
                  data-testid={`connector-start-${testId}`}
                  onClick={() => act({ kind: 'start', connector: c.id, idTag: tag.trim() || 'CARD-0001' })}
                >
                  Start
                </button>
              )}
              {c.faulted ? (
                <button
                  type="button"
                  className="btn small"
                  data-testid={`connector-clear-${testId}`}
                  onClick={() => act({ kind: 'clearFault', connector: c.id })}
                >
                  Clear fault
                </button>
              ) : (
                <button
                  type="button"
                  className="btn small"
                  data-testid={`connector-fault-${testId}`}
                  onClick={() => act({ kind: 'fault', connector: c.id })}
                >
                  Fault
                </button>
              )}
            </div>
            {charts.get(c.id) && (
              <ConnectorChart
                series={charts.get(c.id)!}
                version={chartVersion}
                testId={`connector-chart-${testId}`}
              />
            )}
          </div>
        );
      })}
    </div>
  );
}
