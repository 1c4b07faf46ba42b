import { useEffect, useRef, useState } from 'react';
import type { SimulatedStationView } from '../../../shared/api';
import { useStoreInstance } from '../state/hooks';
import type { ChartSeries } from './connector-chart';
import { addSample, emptySeries } from './connector-chart';
import { FleetDialog } from './fleet-dialog';
import { StationCard } from './station-card';

/** How often the cards and charts refresh while the tab is open. */
const POLL_MS = 1000;

/** The simulated stations connected from this app, as cards with live charts; and the fleet dialog. */
export function StationsPanel() {
  const store = useStoreInstance();
  const [views, setViews] = useState<SimulatedStationView[]>([]);
  const [fleetOpen, setFleetOpen] = useState(false);
  const charts = useRef(new Map<string, Map<number, ChartSeries>>());
  const [chartVersion, setChartVersion] = useState(0);

  const take = (list: SimulatedStationView[]) => {
    const t = Date.now() / 1000;
    for (const v of list) {
      let byConnector = charts.current.get(v.connectionId);
      if (!byConnector) charts.current.set(v.connectionId, (byConnector = new Map()));
      for (const c of v.connectors) {
        let s = byConnector.get(c.id);
        if (!s) byConnector.set(c.id, (s = emptySeries()));
        addSample(s, t, c.powerW, c.transaction?.energyWh ?? 0);
      }
    }
    setViews(list);
    setChartVersion((n) => n + 1);
  };

  useEffect(() => {
    let live = true;
    const poll = () =>
      void store.api.listSimulators().then(
        (list) => live && take(list),
        () => undefined,
      );
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
    // take only touches refs and setters.
  }, [store]);

  const changed = (v: SimulatedStationView) =>
    setViews((list) => list.map((x) => (x.connectionId === v.connectionId ? v : x)));

  return (
    <div className="panel stations-panel" data-testid="stations-panel">
      <div className="row">
        <span className="muted">
          Simulated stations behave like chargers: connect one with “Connect as station” (behaviour on), or
          start a fleet.
        </span>
        <span className="grow" />
        <button
          type="button"
          className="btn small"
          data-testid="stations-fleet"
          onClick={() => setFleetOpen(true)}
        >
          Fleet…
        </button>
      </div>
      {views.length === 0 && (
        <div className="empty" data-testid="stations-empty">
          No simulated station is connected.
        </div>
      )}
      <div className="station-cards">
        {views.map((v) => (
          <StationCard
            key={v.connectionId}
            view={v}
            charts={charts.current.get(v.connectionId) ?? new Map()}
            chartVersion={chartVersion}
            onChanged={changed}
          />
        ))}
      </div>
      {fleetOpen && <FleetDialog onClose={() => setFleetOpen(false)} />}
    </div>
  );
}
