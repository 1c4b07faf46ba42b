import { diagnoseHandshake } from '../../../../shared/capture/handshake-diagnosis';
import { connectionName } from '../../../../shared/capture/connection-name';
import { offeredProtocols } from '../../logic/handshake';
import { formatDateTime } from '../../logic/format';
import type { HandshakeRecord, OpenedEvent } from '../../types';
import { AcceptCheck } from './accept-check';
import { HandshakeSteps } from './handshake-steps';
import { HeadTable } from './head-table';
import { Secret } from './secret';
import { TlsFactsView } from './tls-facts';

function Subprotocol({ hs }: { hs: HandshakeRecord }) {
  const offered = hs.offeredProtocols.length > 0 ? hs.offeredProtocols : offeredProtocols(hs.request);
  return (
    <>
      <div className="block-title">Subprotocol</div>
      <dl className="kv">
        <dt>Offered</dt>
        <dd data-testid="hs-offered">
          {offered.length > 0 ? (
            offered.map((p) => (
              <span
                key={p}
                className={`badge ${p === hs.chosenProtocol ? 'accent' : ''}`}
                style={{ marginRight: 4 }}
              >
                {p}
              </span>
            ))
          ) : (
            <span className="warn-text">none: the client offered no subprotocol</span>
          )}
        </dd>
        <dt>Chosen</dt>
        <dd data-testid="hs-chosen">
          {hs.chosenProtocol ? (
            <span className="badge ok">{hs.chosenProtocol}</span>
          ) : (
            <span className="error-text">none in the response</span>
          )}
        </dd>
      </dl>
    </>
  );
}

function BasicAuth({ auth }: { auth: NonNullable<HandshakeRecord['basicAuth']> }) {
  return (
    <>
      <div className="block-title">HTTP Basic auth</div>
      <dl className="kv" data-testid="hs-basic-auth">
        <dt>Username</dt>
        <dd className="mono">{auth.username}</dd>
        <dt>Password</dt>
        <dd className="mono">
          <Secret value={auth.printable ? auth.password : `hex ${auth.passwordHex}`} testId="hs-password" />
        </dd>
      </dl>
    </>
  );
}

/** One WebSocket upgrade: who, the steps, why it failed, the negotiation, the heads as sent, auth and TLS. */
export function HandshakeView({ opened }: { opened: OpenedEvent }) {
  const hs = opened.handshake;
  const diagnosis = diagnoseHandshake(hs, opened.ok);
  return (
    <div data-testid="handshake" data-conn={opened.conn}>
      <dl className="kv">
        <dt>Identity</dt>
        <dd data-testid="hs-identity">
          <b>{connectionName(opened.connection) ?? '(none)'}</b>
        </dd>
        <dt>URL</dt>
        <dd className="mono">{opened.connection.url}</dd>
        <dt>When</dt>
        <dd className="mono">{formatDateTime(opened.t)}</dd>
        {hs.remote && (
          <>
            <dt>Peer</dt>
            <dd className="mono">
              {hs.remote.address}:{hs.remote.port}
            </dd>
          </>
        )}
      </dl>
      <HandshakeSteps hs={hs} ok={opened.ok} />
      {diagnosis?.severity === 'error' && (
        <div className="failure" data-testid="handshake-failure">
          <b>Failed at {diagnosis.stepLabel}:</b>{' '}
          <span data-testid="handshake-diagnosis">{diagnosis.sentence}</span>
          <div className="muted mono" style={{ marginTop: 4 }}>
            {diagnosis.code}
            {hs.failure?.detail ? ` · ${hs.failure.detail}` : ''}
          </div>
        </div>
      )}
      <Subprotocol hs={hs} />
      {/* A refused upgrade has no Accept to check: a red "missing" there would only distract from the cause. */}
      {hs.response?.status === 101 && <AcceptCheck hs={hs} />}
      {hs.basicAuth && <BasicAuth auth={hs.basicAuth} />}
      {hs.findings.length > 0 && (
        <>
          <div className="block-title">Findings</div>
          {hs.findings.map((f, i) => (
            <div key={i} className={`finding ${f.severity}`} data-testid="hs-finding">
              <div>
                {f.message}
                <div className="muted">
                  <code>{f.code}</code>
                </div>
              </div>
            </div>
          ))}
        </>
      )}
      <div className="block-title">Request and response, headers as sent</div>
      <div className="hs-grid">
        <HeadTable head={hs.request} title="request" testId="hs-request" />
        <HeadTable head={hs.response} title="response" testId="hs-response" />
      </div>
      {hs.response?.body && (
        <>
          <div className="block-title">Response body</div>
          <pre className="code mono">{hs.response.body}</pre>
        </>
      )}
      {hs.tls && <TlsFactsView tls={hs.tls} />}
    </div>
  );
}
