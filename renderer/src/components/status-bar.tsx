import { formatCount } from '../logic/format';
import { useStore, useStoreInstance } from '../state/hooks';
import { OpeningStatus } from './opening-status';
import { TimeZoneSwitch } from './time-zone-switch';

export function StatusBar() {
  const store = useStoreInstance();
  const endpoint = useStore((s) => s.endpoint);
  const open = useStore((s) => s.connections.filter((c) => c.state === 'open').length);
  const held = useStore((s) => s.held.length);
  const recording = useStore((s) => s.recording);
  const follow = useStore((s) => s.follow);
  useStore((s) => s.logVersion);
  const live = store.getState().liveSource;
  const liveCount = live ? (store.live.get(live)?.events.length ?? 0) : 0;
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span>
        <span
          className={`dot ${endpoint.running ? 'ok' : ''}`}
          style={{ display: 'inline-block', marginRight: 6 }}
        />
        {endpoint.running ? `Endpoint on :${endpoint.port}` : 'Endpoint stopped'}
      </span>
      <span>
        {open} open connection{open === 1 ? '' : 's'}
      </span>
      <span>{formatCount(liveCount)} live events</span>
      {held > 0 && (
        <span className="warn-text">
          {held} held call{held === 1 ? '' : 's'} waiting
        </span>
      )}
      {recording.on && <span className="error-text">● recording</span>}
      <OpeningStatus />
      <span className="spacer" />
      <TimeZoneSwitch />
      <span>{follow ? 'following newest' : 'paused scrolling (End to follow)'}</span>
      <span>
        <kbd>?</kbd> shortcuts
      </span>
    </footer>
  );
}
