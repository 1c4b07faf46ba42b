import type { CertificateInfo, TlsFacts } from '../../types';
import { CopyButton } from '../common';

function CertificateCard({ c, index }: { c: CertificateInfo; index: number }) {
  return (
    <div className="hs-head" style={{ marginBottom: 8 }}>
      <div className="start row">
        <span className="grow">{index === 0 ? 'Leaf' : `Issuer ${index}`}</span>
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
  );
}

/** The TLS session as negotiated (or as far as it got): version, cipher, SNI, verification and the peer's chain. */
export function TlsFactsView({ tls }: { tls: TlsFacts }) {
  return (
    <>
      <div className="block-title">TLS</div>
      <dl className="kv" data-testid="hs-tls">
        <dt>Version</dt>
        <dd>{tls.protocol ?? '?'}</dd>
        <dt>Cipher</dt>
        <dd className="mono">{tls.cipher ?? '?'}</dd>
        {tls.servername && (
          <>
            <dt>SNI</dt>
            <dd className="mono" data-testid="hs-sni">
              {tls.servername}
            </dd>
          </>
        )}
        <dt>Verified</dt>
        <dd>
          {tls.authorized ? (
            <span className="ok-text">yes</span>
          ) : (
            <span className="error-text">
              no{tls.authorizationError ? `: ${tls.authorizationError}` : ''}
            </span>
          )}
          {tls.insecure && (
            <span className="badge warn" style={{ marginLeft: 6 }}>
              verification skipped
            </span>
          )}
        </dd>
      </dl>
      {tls.peerChain.map((c, i) => (
        <CertificateCard key={i} c={c} index={i} />
      ))}
    </>
  );
}
