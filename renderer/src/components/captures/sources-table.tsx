import { formatCount } from '../../logic/format';
import { useStore, useStoreInstance } from '../../state/hooks';
import { Progress } from '../common';

/** The open sources (live session, captures, imports): events, problems, which one the log shows. */
export function SourcesTable() {
  const store = useStoreInstance();
  const sources = useStore((s) => s.sources);
  const active = useStore((s) => s.activeSource);
  useStore((s) => s.logVersion);
  // The engine counts the live source as it stores it; the window may already hold more (or more recent) events.
  const eventsOf = (id: string, engineCount: number): number =>
    Math.max(engineCount, store.live.get(id)?.events.length ?? 0);
  return (
    <>
      <div className="block-title">Sources</div>
      <table className="grid" data-testid="sources">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Events</th>
            <th>Problems</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <tr key={s.id} data-testid="source-row" data-source={s.id}>
              <td>
                <b>{s.name}</b>
                {s.indexing && <Progress />}
              </td>
              <td>{s.kind}</td>
              <td className="mono">{formatCount(s.kind === 'live' ? eventsOf(s.id, s.events) : s.events)}</td>
              <td title={s.findings.map((f) => f.message).join('\n')}>
                {s.findings.length > 0 ? <span className="badge warn">{s.findings.length}</span> : '–'}
              </td>
              <td className="right">
                <button
                  type="button"
                  className="btn small"
                  onClick={() => store.setActiveSource(s.id)}
                  disabled={s.id === active}
                >
                  {s.id === active ? 'Shown' : 'Show'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
