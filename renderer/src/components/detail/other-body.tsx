import { diagnoseOpened } from '../../../../shared/capture/handshake-diagnosis';
import { eventSummary, formatDateTime } from '../../logic/format';
import { useStoreInstance } from '../../state/hooks';
import type { ClosedEvent, ScopeEvent } from '../../types';
import { DiagnosisText } from '../connection-diagnosis';
import { TransferDetail } from '../transfer-detail';
import { FindingList } from './finding-list';

function CloseFacts({ e }: { e: ClosedEvent }) {
  return (
    <dl className="kv mt">
      <dt>Close code</dt>
      <dd>{e.code}</dd>
      <dt>Reason</dt>
      <dd>{e.reason || '(none)'}</dd>
      <dt>Closed by</dt>
      <dd>{e.by === 'local' ? 'this tool' : e.by === 'remote' ? 'the peer' : 'nobody (connection lost)'}</dd>
      <dt>Clean</dt>
      <dd>{e.clean ? 'yes' : 'no: the TCP connection ended without a close handshake'}</dd>
    </dl>
  );
}

/** The detail of an event that is not a frame: upgrade, close, ping/pong, note, error, transfer. */
export function OtherBody({ e }: { e: ScopeEvent }) {
  const store = useStoreInstance();
  return (
    <>
      <dl className="kv">
        <dt>Event</dt>
        <dd>{e.kind}</dd>
        <dt>Connection</dt>
        <dd>{store.connectionLabel(e.conn)}</dd>
        <dt>Time</dt>
        <dd className="mono">{formatDateTime(e.t)}</dd>
        <dt>Summary</dt>
        <dd>{eventSummary(e)}</dd>
      </dl>
      {e.kind === 'opened' && <DiagnosisText d={diagnoseOpened(e)} testId="detail-diagnosis" />}
      {e.kind === 'opened' && e.handshake.findings.length > 0 && (
        <FindingList findings={e.handshake.findings} />
      )}
      {e.kind === 'opened' && (
        <button
          type="button"
          className="btn small"
          onClick={() => store.set({ handshakeConnection: e.conn, detailTab: 'handshake' })}
        >
          Inspect the handshake
        </button>
      )}
      {e.kind === 'note' && e.findings && <FindingList findings={e.findings} />}
      {e.kind === 'transfer' && <TransferDetail e={e} />}
      {e.kind === 'closed' && <CloseFacts e={e} />}
    </>
  );
}
