import { useEffect, useRef } from 'react';
import { BottomPanel } from '../components/bottom-panel';
import { ConnectionList } from '../components/connection-list';
import { DetailPane } from '../components/detail-pane';
import { EndpointPanel } from '../components/endpoint-panel';
import { FilterBar } from '../components/filter-bar';
import { HelpOverlay } from '../components/help-overlay';
import { LogTable } from '../components/log-table';
import { openBrowserFiles } from '../components/open-files';
import { SettingsDialog } from '../components/settings-dialog';
import { StationForm } from '../components/station-form';
import { StatusBar } from '../components/status-bar';
import { Toasts } from '../components/toasts';
import { Topbar } from '../components/topbar';
import { useStore, useStoreInstance } from '../state/hooks';
import { prettyFrame } from '../logic/templates';
import { installShortcuts } from './shortcuts';
import { useDropOverlay } from './use-drop-overlay';

/**
 * A held CALL opens the composer with its suggested response, once per call, unless the composer is already
 * answering another held call that is still waiting: then the new one queues in the composer's Held list.
 */
function useHeldCalls(): void {
  const store = useStoreInstance();
  const held = useStore((s) => s.held);
  const seen = useRef(new Set<string>());
  useEffect(() => {
    for (const h of held) {
      const key = `${h.connectionId}/${h.messageId}`;
      if (seen.current.has(key)) continue;
      seen.current.add(key);
      const busy = store.getState().composer.responseTo;
      const answering =
        busy?.held &&
        held.some((x) => x.messageId === busy.messageId && `${x.connectionId}/${x.messageId}` !== key);
      if (answering) {
        store.toast(
          `${store.connectionLabel(h.connectionId)} also waits for an answer to ${h.action} (see Held).`,
          'info',
        );
        continue;
      }
      store.compose(
        prettyFrame(h.suggestedResponse),
        { responseTo: { action: h.action, messageId: h.messageId, held: true } },
        h.connectionId,
      );
      store.toast(
        `${store.connectionLabel(h.connectionId)} is waiting for your answer to ${h.action}.`,
        'info',
      );
    }
  }, [held, store]);
}

export function App() {
  const store = useStoreInstance();
  const theme = useStore((s) => s.theme);
  const ready = useStore((s) => s.ready);
  const loadError = useStore((s) => s.loadError);
  const help = useStore((s) => s.help);
  const settingsOpen = useStore((s) => s.settingsOpen);
  const stationFormOpen = useStore((s) => s.stationFormOpen);
  const detailTab = useStore((s) => s.detailTab);
  const bottomHeight = useStore((s) => s.bottomHeight);
  const showDetail = useStore((s) => s.showDetail);
  const engineLost = useStore((s) => s.engineLost);
  const drop = useDropOverlay((files) => void openBrowserFiles(store, files));
  useHeldCalls();

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => installShortcuts(store), [store]);

  return (
    <div className="app" data-testid="app" data-ready={ready ? 'true' : 'false'} {...drop.handlers}>
      <Topbar />
      <aside className="sidebar" data-testid="sidebar">
        <EndpointPanel />
        <ConnectionList />
      </aside>
      <main
        className={`main${showDetail ? '' : ' no-detail'}`}
        style={{
          ['--detail-width' as string]:
            detailTab === 'handshake' ? 'clamp(430px, 50%, 760px)' : 'clamp(340px, 28vw, 460px)',
          ['--bottom-height' as string]: `${bottomHeight}px`,
        }}
      >
        <section className="log-area">
          {engineLost && (
            <div className="failure" style={{ margin: 10 }} data-testid="engine-lost">
              Lost the connection to the engine: if <code>ocpp-scope serve</code> was stopped, start it again
              and open the new address it prints. Captures recorded so far are on disk.
            </div>
          )}
          {loadError && (
            <div className="failure" style={{ margin: 10 }} data-testid="load-error">
              The engine did not answer: {loadError}. Reload the page; if you use serve mode, open the address
              it printed (it contains the access token).
            </div>
          )}
          <FilterBar />
          <LogTable />
        </section>
        {showDetail && <DetailPane />}
        <BottomPanel />
      </main>
      <StatusBar />
      {help && <HelpOverlay />}
      {settingsOpen && <SettingsDialog />}
      {stationFormOpen && <StationForm />}
      <Toasts />
      {drop.dragging && (
        <div className="drop-overlay" data-testid="drop-overlay">
          Drop to open the capture
        </div>
      )}
    </div>
  );
}
