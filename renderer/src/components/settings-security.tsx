import type { EndpointSettings, SecurityProfile } from '../../../shared/api';

const PROFILES: { value: SecurityProfile; label: string }[] = [
  { value: 0, label: '0: plain ws://, no auth (diagnosis)' },
  { value: 1, label: '1: ws:// + HTTP Basic auth' },
  { value: 2, label: '2: wss:// (TLS) + HTTP Basic auth' },
  { value: 3, label: '3: wss:// with client certificates' },
];

export interface SecurityFieldsProps {
  ep: EndpointSettings;
  setEp: (patch: Partial<EndpointSettings>) => void;
  passwords: string;
  setPasswords: (text: string) => void;
}

/** The endpoint's security profile and what it needs: Basic auth passwords, TLS certificates. */
export function SecurityFields({ ep, setEp, passwords, setPasswords }: SecurityFieldsProps) {
  return (
    <>
      <label className="field">
        <span>Security profile</span>
        <select
          className="input"
          data-testid="settings-profile"
          value={ep.securityProfile}
          onChange={(e) => setEp({ securityProfile: Number(e.target.value) as SecurityProfile })}
        >
          {PROFILES.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      {(ep.securityProfile === 1 || ep.securityProfile === 2) && (
        <>
          <label className="check" style={{ marginBottom: 10, display: 'flex' }}>
            <input
              type="checkbox"
              checked={ep.acceptAnyPassword}
              onChange={(e) => setEp({ acceptAnyPassword: e.target.checked })}
            />
            Accept any password and record what the charger sent
          </label>
          <label className="field">
            <span>Passwords, one per line: identity=password</span>
            <textarea
              className="input mono"
              rows={3}
              value={passwords}
              onChange={(e) => setPasswords(e.target.value)}
              placeholder="CP001=s3cret-key"
            />
          </label>
        </>
      )}
      {ep.securityProfile >= 2 && <CertificateFields ep={ep} setEp={setEp} />}
    </>
  );
}

function CertificateFields({ ep, setEp }: Pick<SecurityFieldsProps, 'ep' | 'setEp'>) {
  return (
    <div className="field">
      <span>Certificates (paths of PEM files on the machine running the engine)</span>
      <label className="check" style={{ marginBottom: 6 }}>
        <input
          type="checkbox"
          data-testid="settings-generate-ca"
          checked={ep.tls?.generateCertificate ?? false}
          onChange={(e) => setEp({ tls: { ...ep.tls, generateCertificate: e.target.checked } })}
        />
        Generate a local CA and server certificate (install the CA in the charger)
      </label>
      {!ep.tls?.generateCertificate && (
        <div className="field-row">
          {(['certFile', 'keyFile', 'caFile'] as const).map((k) => (
            <input
              key={k}
              className="input grow mono"
              placeholder={{ certFile: 'server cert', keyFile: 'server key', caFile: 'client CA' }[k]}
              value={ep.tls?.[k] ?? ''}
              onChange={(e) => setEp({ tls: { ...ep.tls, [k]: e.target.value || undefined } })}
            />
          ))}
        </div>
      )}
    </div>
  );
}
