import { formatBytes, formatCount } from '../../logic/format';
import { useStore, useStoreInstance } from '../../state/hooks';

/** Recording to the capture folder: on or off, how much, which file. */
export function RecordingBlock() {
  const store = useStoreInstance();
  const recording = useStore((s) => s.recording);
  return (
    <>
      <div className="block-title">Recording</div>
      <div className="row">
        <span className={`dot ${recording.on ? 'error' : ''}`} />
        <span className="grow" data-testid="recording-state">
          {recording.on ? (
            <>
              Recording · {formatCount(recording.events)} events · {formatBytes(recording.bytes)}
            </>
          ) : (
            <span className="muted">Not recording to disk</span>
          )}
        </span>
        <button
          type="button"
          className={`btn small${recording.on ? ' on' : ''}`}
          data-testid="record-toggle"
          onClick={() =>
            store.run('Switching recording', async () =>
              store.set({ recording: await store.api.setRecording(!recording.on) }),
            )
          }
        >
          {recording.on ? 'Stop' : 'Record'}
        </button>
      </div>
      {recording.file && (
        <div className="muted mono" style={{ fontSize: 11, marginTop: 4 }}>
          {recording.file}
        </div>
      )}
    </>
  );
}
