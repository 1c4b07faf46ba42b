import type { ReplayStatus } from '../../../../shared/api';
import { CopyButton, Progress, useNow } from '../common';

/** The state, the progress through the recorded exchanges, and while waiting: where to point the charger, time left. */
export function ReplayProgress({ replay }: { replay: ReplayStatus }) {
  return (
    <>
      <div className="row" style={{ marginBottom: 8 }}>
        <span className="badge" data-testid="replay-state">
          {replay.state}
        </span>
        <Progress value={replay.position} total={replay.total} testId="replay-progress" />
        <span className="count">
          {replay.position} / {replay.total}
        </span>
      </div>
      {replay.state === 'waiting' && replay.waiting && <Waiting waiting={replay.waiting} />}
      {replay.error && (
        <div className="failure" data-testid="replay-error">
          {replay.error}
        </div>
      )}
    </>
  );
}

function Waiting({ waiting }: { waiting: NonNullable<ReplayStatus['waiting']> }) {
  const now = useNow(500);
  const left = Math.max(0, Math.ceil((waiting.until - now) / 1000));
  const total = waiting.until - waiting.since;
  return (
    <div className="replay-waiting" data-testid="replay-waiting" style={{ marginBottom: 8 }}>
      <div>
        Waiting for a charger to connect: <b>{left} s</b> left. Point it at the endpoint with its identity:
      </div>
      {waiting.urls.slice(0, 4).map((u) => (
        <div key={u} className="url-row">
          <code>{u}&lt;identity&gt;</code>
          <CopyButton text={u} />
        </div>
      ))}
      <Progress value={Math.max(0, waiting.until - now)} total={total} testId="replay-wait-progress" />
    </div>
  );
}
