import { useEffect, useState } from 'react';
import { checkAccept, maskSecret, offeredProtocols, type AcceptVerdict } from '../logic/handshake';
import { formatDateTime } from '../logic/format';
import { useStore, useStoreInstance } from '../state/hooks';
import type { HandshakeRecord, HandshakeStage, HttpHead, OpenedEvent } from '../types';
import { diagnoseHandshake, STEP_LABEL } from '../../../shared/capture/handshake-diagnosis';
import { CopyButton } from './common';

const STAGES: HandshakeStage[] = ['url', 'dns', 'tcp', 'tls', 'http', 'subprotocol', 'auth'];
const STAGE_LABEL = STEP_LABEL;

function HeadTable({ head, title, testId }: { head: HttpHead | undefined; title: string; testId: string }) {
  return (
    <div className="hs-head" data-testid={testId}>
      <div className="start mono">
        <span className="muted" style={{ fontWeight: 400 }}>
          {title}:{' '}
        </span>
        {head?.startLine ?? '(nothing received)'}
      </div>
      {head && (
        <table className="mono">
          <tbody>
            {head.headers.map(([k, v], i) => (
              <tr key={i}>
                <td>{k}</td>
                <td>{k.toLowerCase() === 'authorization' ? <Secret value={v} /> : v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Secret({ value, testId }: { value: string; testId?: string }) {
  const [shown, setShown] = useState(false);
  return (
    <span
      data-testid={testId}
      style={{ cursor: 'pointer' }}
      title={shown ? 'Click to hide' : 'Click to show'}
      onClick={() => setShown(!shown)}
    >
      {shown ? value : maskSecret(value)} <span className="muted">({shown ? 'hide' : 'show'})</span>
    </span>
  );
}

function AcceptCheck({ hs }: { hs: HandshakeRecord }) {
  const [v, setV] = useState<AcceptVerdict>();
  useEffect(() => {
    let live = true;
    void checkAccept(hs.request, hs.response).then((r) => live && setV(r));
    return () => {
      live = false;
    };
  }, [hs]);
  if (!v) return null;
  return (
    <dl className="kv" data-testid="accept-check" data-state={v.state}>
      <dt>Sec-WebSocket-Accept</dt>
      <dd>
        {v.state === 'ok' ? (
          <span className="verdict ok" data-testid="accept-ok">
            ✓ correct
          </span>
        ) : v.state === 'mismatch' ? (
          <span className="verdict bad" data-testid="accept-bad">
            ✗ wrong: a browser or strict client would drop this connection
          </span>
        ) : (
          <span className="verdict bad" data-testid="accept-missing">
            ✗ {v.expected ? 'missing in the response' : 'no Sec-WebSocket-Key in the request'}
          </span>
        )}
      </dd>
      {v.expected && (
        <>
          <dt>Expected</dt>
          <dd className="mono">{v.expected}</dd>
        </>
      )}
      {v.actual !== undefined && (
        <>
          <dt>Received</dt>
          <dd className="mono">{v.actual}</dd>
        </>
      )}
    </dl>
  );
}

function Steps({ hs, ok }: { hs: HandshakeRecord; ok: boolean }) {
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
            {state === 'failed' ? '✗' : state === 'skipped' ? '·' : '✓'} {STAGE_LABEL[s]}
          </span>
        );
      })}
    </div>
  );
}

export function HandshakeView({ opened }: { opened: OpenedEvent }) {
  const hs = opened.handshake;
  const diagnosis = diagnoseHandshake(hs, opened.ok);
  const offered = hs.offeredProtocols.length > 0 ? hs.offeredProtocols : offeredProtocols(hs.request);
  return (
    <div data-testid="handshake" data-conn={opened.conn}>
      <dl className="kv">
        <dt>Identity</dt>
        <dd>
          <b>{opened.connection.identity || '(none)'}</b>
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
      <Steps hs={hs} ok={opened.ok} />
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
      {/* A refused upgrade has no Accept to check: a red "missing" there would only distract from the cause. */}
      {hs.response?.status === 101 && <AcceptCheck hs={hs} />}
      {hs.basicAuth && (
        <>
          <div className="block-title">HTTP Basic auth</div>
          <dl className="kv" data-testid="hs-basic-auth">
            <dt>Username</dt>
            <dd className="mono">{hs.basicAuth.username}</dd>
            <dt>Password</dt>
            <dd className="mono">
              <Secret
                value={hs.basicAuth.printable ? hs.basicAuth.password : `hex ${hs.basicAuth.passwordHex}`}
                testId="hs-password"
              />
            </dd>
          </dl>
        </>
      )}
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
      {hs.tls && (
        <>
          <div className="block-title">TLS</div>
          <dl className="kv" data-testid="hs-tls">
            <dt>Version</dt>
            <dd>{hs.tls.protocol ?? '?'}</dd>
            <dt>Cipher</dt>
            <dd className="mono">{hs.tls.cipher ?? '?'}</dd>
            {hs.tls.servername && (
              <>
                <dt>SNI</dt>
                <dd className="mono">{hs.tls.servername}</dd>
              </>
            )}
            <dt>Verified</dt>
            <dd>
              {hs.tls.authorized ? (
                <span className="ok-text">yes</span>
              ) : (
                <span className="error-text">
                  no{hs.tls.authorizationError ? `: ${hs.tls.authorizationError}` : ''}
                </span>
              )}
              {hs.tls.insecure && (
                <span className="badge warn" style={{ marginLeft: 6 }}>
                  verification skipped
                </span>
              )}
            </dd>
          </dl>
          {hs.tls.peerChain.map((c, i) => (
            <div key={i} className="hs-head" style={{ marginBottom: 8 }}>
              <div className="start row">
                <span className="grow">{i === 0 ? 'Leaf' : `Issuer ${i}`}</span>
                {c.pem && <CopyButton text={c.pem} label="Copy PEM" />}
              </div>
              <table className="mono">
                <tbody>
                  <tr>
                    <td>subject</td>
                    <td>{c.subject}</td>
                  </tr>
                  <tr>
                    <td>issuer</td>
                    <td>{c.issuer}</td>
                  </tr>
                  <tr>
                    <td>valid</td>
                    <td>
                      {c.validFrom} → {c.validTo}
                    </td>
                  </tr>
                  {c.subjectAltName && (
                    <tr>
                      <td>SAN</td>
                      <td>{c.subjectAltName}</td>
                    </tr>
                  )}
                  <tr>
                    <td>SHA-256</td>
                    <td>{c.fingerprint256}</td>
                  </tr>
                </tbody>
              </table>
            </div>
          ))}
        </>
      )}
    </div>
  );
}

/** The `opened` events of a connection, newest first (a proxied connection has one per leg). */
function findOpened(store: ReturnType<typeof useStoreInstance>, conn: string | undefined): OpenedEvent[] {
  const sel = store.getState().selected;
  if (sel?.kind === 'opened' && (conn === undefined || sel.conn === conn)) return [sel];
  if (!conn) return [];
  const out: OpenedEvent[] = [];
  for (const log of store.live.values()) {
    for (let i = log.events.length - 1; i >= 0 && out.length < 2; i--) {
      const e = log.events[i]!;
      if (e.kind === 'opened' && e.conn === conn) out.push(e);
    }
  }
  return out;
}

export function HandshakeInspector() {
  const store = useStoreInstance();
  const conn = useStore((s) => s.handshakeConnection ?? s.selectedConnection);
  const proxy = useStore((s) => s.connections.find((c) => c.id === conn)?.proxy);
  useStore((s) => s.logVersion);
  useStore((s) => s.selected);
  const found = findOpened(store, conn);
  // A proxied connection: show the charger's leg and the upstream leg, each labelled by where it goes.
  const isUpstream = (e: OpenedEvent): boolean =>
    proxy !== undefined && e.connection.url === proxy.upstreamUrl;
  const legs = proxy
    ? found.slice(0, 2).sort((a, b) => Number(isUpstream(a)) - Number(isUpstream(b)))
    : found.slice(0, 1);
  return (
    <div className="pane-body" data-testid="handshake-pane">
      {legs.length > 0 ? (
        legs.map((opened) => (
          <div key={opened.seq} style={{ marginBottom: 16 }}>
            {proxy && (
              <div className="block-title" data-testid="handshake-leg">
                {opened.connection.url === proxy.upstreamUrl ||
                opened.connection.url.startsWith(proxy.upstreamUrl)
                  ? 'Upstream leg: this tool → CSMS'
                  : 'Charger leg: charger → this tool'}
              </div>
            )}
            <HandshakeView opened={opened} />
          </div>
        ))
      ) : (
        <div className="empty">
          Pick a connection on the left and press <b>Handshake</b> to see its upgrade request and response
          side by side, the subprotocol negotiation, the Sec-WebSocket-Accept check, Basic auth and the TLS
          chain.
        </div>
      )}
    </div>
  );
}
