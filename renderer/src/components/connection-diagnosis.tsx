import type { HandshakeDiagnosis } from '../../../shared/capture/handshake-diagnosis';

/** The badge a connection card shows in place of its version: the step that failed, or "no subprotocol". */
export function DiagnosisBadge({ d }: { d: HandshakeDiagnosis | undefined }) {
  if (!d || d.severity === 'warning')
    return (
      <span className="badge warn" title={d?.sentence ?? 'No OCPP subprotocol was negotiated'}>
        no subprotocol
      </span>
    );
  return (
    <span className="badge error" data-testid="connection-failure-step" data-step={d.step} title={d.sentence}>
      failed at {d.stepLabel}
    </span>
  );
}

/** The one-sentence cause, as the card, the log row and the detail pane all show it. */
export function DiagnosisText({ d, testId }: { d: HandshakeDiagnosis | undefined; testId: string }) {
  if (!d) return null;
  return (
    <div
      className={d.severity === 'error' ? 'error-text diagnosis' : 'warn-text diagnosis'}
      data-testid={testId}
      data-code={d.code}
      style={{ fontSize: 12, marginTop: 4 }}
    >
      {d.sentence}
    </div>
  );
}
