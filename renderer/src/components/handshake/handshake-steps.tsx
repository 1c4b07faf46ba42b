import { diagnoseHandshake, STEP_LABEL } from '../../../../shared/capture/handshake-diagnosis';
import type { HandshakeRecord, HandshakeStage } from '../../types';

const STAGES: HandshakeStage[] = ['url', 'dns', 'tcp', 'tls', 'http', 'subprotocol', 'auth'];

/** The steps of a connection attempt: done, the one that failed, and the ones never reached. */
export function HandshakeSteps({ hs, ok }: { hs: HandshakeRecord; ok: boolean }) {
  const d = diagnoseHandshake(hs, ok);
  const failed = d?.severity === 'error' ? d.step : undefined;
  const failedAt = failed ? STAGES.indexOf(failed) : -1;
  const usesTls = Boolean(hs.tls);
  return (
    <div className="steps" data-testid="handshake-steps">
      {STAGES.map((s, i) => {
        if (s === 'tls' && !usesTls && failed !== 'tls') return null;
        const state =
          failedAt < 0 ? (ok ? '' : 'skipped') : i < failedAt ? '' : i === failedAt ? 'failed' : 'skipped';
        return (
          <span key={s} className={`step ${state}`} data-step={s} data-state={state || 'ok'}>
            {state === 'failed' ? '✗' : state === 'skipped' ? '·' : '✓'} {STEP_LABEL[s]}
          </span>
        );
      })}
    </div>
  );
}
