import type { ReplayStatus } from '../../../../shared/api';
import { useStoreInstance } from '../../state/hooks';

/** Start (or again), pause, resume, step one frame, stop. */
export function ReplayControls({
  replay,
  onStart,
  canStart,
}: {
  replay: ReplayStatus;
  onStart: () => void;
  canStart: boolean;
}) {
  const store = useStoreInstance();
  const busy = replay.state === 'running' || replay.state === 'waiting' || replay.state === 'paused';
  const call = (what: string, fn: () => Promise<ReplayStatus>) =>
    void store.run(what, async () => store.set({ replay: await fn() }));
  return (
    <div className="row">
      <button
        type="button"
        className="btn primary"
        data-testid="replay-start"
        disabled={!canStart || busy}
        onClick={onStart}
      >
        {replay.state === 'done' || replay.state === 'failed' ? 'Replay again' : 'Start'}
      </button>
      {replay.state === 'running' && (
        <button
          type="button"
          className="btn"
          data-testid="replay-pause"
          onClick={() => call('Pausing', () => store.api.pauseReplay())}
        >
          Pause
        </button>
      )}
      {replay.state === 'paused' && (
        <button
          type="button"
          className="btn"
          data-testid="replay-resume"
          onClick={() => call('Resuming', () => store.api.resumeReplay())}
        >
          Resume
        </button>
      )}
      <button
        type="button"
        className="btn"
        data-testid="replay-step"
        disabled={replay.state !== 'paused'}
        title="While paused: send the next recorded frame only"
        onClick={() => call('Stepping', () => store.api.stepReplay())}
      >
        Step
      </button>
      {busy && (
        <button
          type="button"
          className="btn"
          data-testid="replay-stop"
          onClick={() => call('Stopping', () => store.api.stopReplay())}
        >
          Stop
        </button>
      )}
    </div>
  );
}
