import { Fragment } from 'react';
import { formatBytes } from '../logic/format';
import type { TransferEvent } from '../types';

const ref = (r: TransferEvent['request']): string =>
  r
    ? `${r.action}${r.status ? ` ${r.status}` : ''} (event #${r.seq}${r.messageId ? `, id ${r.messageId}` : ''})`
    : '–';

/** The facts of one transfer event in the detail pane: what moved, how much, its checksum and what it belongs to. */
export function TransferDetail({ e }: { e: TransferEvent }) {
  return (
    <dl className="kv mt" data-testid="transfer-detail">
      <dt>Transfer</dt>
      <dd>
        {e.direction} over {e.protocol} · {e.phase}
      </dd>
      <dt>File</dt>
      <dd className="mono">{e.name || '(no name)'}</dd>
      <dt>Bytes</dt>
      <dd className="mono">
        {formatBytes(e.bytes)}
        {e.size !== undefined ? ` of ${formatBytes(e.size)}` : ''}
        {e.offset ? ` from byte ${e.offset}` : ''}
        {e.durationMs !== undefined ? ` in ${Math.round(e.durationMs)} ms` : ''}
      </dd>
      {e.sha256 && (
        <>
          <dt>SHA-256</dt>
          <dd className="mono">{e.sha256}</dd>
        </>
      )}
      <dt>Charger</dt>
      <dd>
        {e.identity ?? '–'}
        {e.remote ? ` from ${e.remote.address}:${e.remote.port}` : ''}
      </dd>
      <dt>Request</dt>
      <dd>{ref(e.request)}</dd>
      {e.notification && (
        <>
          <dt>Status</dt>
          <dd>{ref(e.notification)}</dd>
        </>
      )}
      {e.findings?.map((f) => (
        <Fragment key={f.code}>
          <dt>{f.severity}</dt>
          <dd>
            <code>{f.code}</code> {f.message}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}
