import { useEffect, useState } from 'react';
import type { SimulatorSettingsProblems } from '../../../shared/api';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { configText, parseConfigLines, parseSerials } from '../../../shared/simulator-config';
import { useStoreInstance } from '../state/hooks';
import { useSettled } from './use-settled';
import { refusal } from '../logic/check-refusal';

export interface SimulatorExtras {
  config?: Record<string, string>;
  revokedCertificates?: string[];
  crlFile?: string;
}

/**
 * A simulated charger's initial configuration (one KEY=VALUE a line: a 1.6 key, or a 2.x Component.Variable or
 * Component.Variable[Instance]), the certificate serials it knows to be revoked and a CRL file: the CLI's `--set`,
 * `--revoked` and `--crl`. What is badly written is told at once under its field; keys the device model does not have are
 * told by the engine (the CLI's sentence) for the versions and connectors given. `onChange` gets what reads well.
 */
export function SimulatorExtraFields({
  testId,
  versions,
  connectors,
  caFile,
  value,
  onChange,
  onValidity,
}: {
  /** The prefix of the fields' test ids (`fleet`, `station-sim`). */
  testId: string;
  versions: OcppVersion[];
  connectors: number;
  /** The station's TLS CA file: the CRL's signature is checked against it, as connecting does. */
  caFile?: string | undefined;
  value: SimulatorExtras;
  onChange: (v: SimulatorExtras) => void;
  /** Whether both fields are free of problems (badly written, or refused by the engine). */
  onValidity: (ok: boolean) => void;
}) {
  const store = useStoreInstance();
  const [config, setConfig] = useState(() => configText(value.config));
  const [revoked, setRevoked] = useState(() => (value.revokedCertificates ?? []).join('\n'));
  const [crlFile, setCrlFile] = useState(value.crlFile ?? '');
  // The engine's verdict, with the request it answered: a verdict for other values never makes the form valid.
  const [verdict, setVerdict] = useState<{ key: string; problems: SimulatorSettingsProblems }>({
    key: '',
    problems: {},
  });
  const problems = verdict.problems;
  const parsedConfig = parseConfigLines(config);
  const parsedSerials = parseSerials(revoked);
  const configError = 'error' in parsedConfig ? parsedConfig.error : problems.config;
  const revokedError = 'error' in parsedSerials ? parsedSerials.error : problems.revokedCertificates;

  // The files are checked once their paths stop changing (each check reads the CRL): until then the form waits.
  const checkedCrl = useSettled(crlFile.trim());
  const checkedCa = useSettled(caFile?.trim() ?? '');
  const settling = checkedCrl !== crlFile.trim() || checkedCa !== (caFile?.trim() ?? '');
  const versionsKey = versions.join(',');
  const configKey = JSON.stringify('config' in parsedConfig ? parsedConfig.config : null);
  const serialsKey = JSON.stringify('serials' in parsedSerials ? parsedSerials.serials : null);
  const requestKey = JSON.stringify([versionsKey, connectors, configKey, serialsKey, checkedCrl, checkedCa]);
  const ok =
    configError === undefined &&
    revokedError === undefined &&
    problems.crlFile === undefined &&
    !settling &&
    verdict.key === requestKey;
  useEffect(() => onValidity(ok), [ok, onValidity]);
  useEffect(() => {
    // What reads well is asked of the engine: keys that name no variable of the device model come back told.
    let live = true;
    const request = {
      versions,
      connectors,
      ...('config' in parsedConfig ? { config: parsedConfig.config } : {}),
      ...('serials' in parsedSerials && parsedSerials.serials.length > 0
        ? { revokedCertificates: parsedSerials.serials }
        : {}),
      ...(checkedCrl !== '' ? { crlFile: checkedCrl } : {}),
      ...(checkedCa !== '' ? { caFile: checkedCa } : {}),
    };
    void store.api.checkSimulatorSettings(request).then(
      (p) => live && setVerdict({ key: requestKey, problems: p }),
      // Refused (a value over the engine's bounds) or not answered: told under the field it names, and not valid.
      (e: unknown) => live && setVerdict({ key: requestKey, problems: refusal(e) }),
    );
    return () => {
      live = false;
    };
    // Keyed by value, not by the objects made each render.
  }, [store, requestKey]);

  const emit = (nextConfig: string, nextRevoked: string, nextCrl: string) => {
    const c = parseConfigLines(nextConfig);
    const r = parseSerials(nextRevoked);
    const out: SimulatorExtras = {};
    if ('config' in c && Object.keys(c.config).length > 0) out.config = c.config;
    if ('serials' in r && r.serials.length > 0) out.revokedCertificates = r.serials;
    if (nextCrl.trim() !== '') out.crlFile = nextCrl.trim();
    onChange(out);
  };

  return (
    <div className="field-row field">
      <LinesField
        label="Initial configuration, one KEY=VALUE a line (1.6 key, or 2.x Component.Variable[Instance])"
        testId={`${testId}-config`}
        value={config}
        placeholder="OCPPCommCtrlr.HeartbeatInterval=30"
        problem={configError}
        onChange={(v) => {
          setConfig(v);
          emit(v, revoked, crlFile);
        }}
      />
      <LinesField
        label="Revoked certificate serials (hex; one a line, or separated by spaces or commas)"
        testId={`${testId}-revoked`}
        value={revoked}
        placeholder="1A:2B:3C"
        problem={revokedError}
        onChange={(v) => {
          setRevoked(v);
          emit(config, v, crlFile);
        }}
      />
      <label className="field grow">
        <span>CRL file (PEM or DER; a path on the machine running the engine)</span>
        <input
          className="input mono"
          data-testid={`${testId}-crl`}
          value={crlFile}
          placeholder="/path/to/ca.crl"
          onChange={(e) => {
            setCrlFile(e.target.value);
            emit(config, revoked, e.target.value);
          }}
        />
        {problems.crlFile && (
          <span className="error-text" data-testid={`${testId}-crl-problem`} style={{ fontSize: 12 }}>
            {problems.crlFile}
          </span>
        )}
        {!problems.crlFile && problems.crlNote && (
          <span className="muted" data-testid={`${testId}-crl-note`} style={{ fontSize: 12 }}>
            {problems.crlNote}
          </span>
        )}
      </label>
    </div>
  );
}

/** A text area of one entry a line, with what is wrong with it under it (test ids `<testId>`, `<testId>-problem`). */
function LinesField(props: {
  label: string;
  testId: string;
  value: string;
  placeholder: string;
  problem: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <label className="field grow">
      <span>{props.label}</span>
      <textarea
        className="input mono"
        rows={3}
        data-testid={props.testId}
        value={props.value}
        placeholder={props.placeholder}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.problem && (
        <span className="error-text" data-testid={`${props.testId}-problem`} style={{ fontSize: 12 }}>
          {props.problem}
        </span>
      )}
    </label>
  );
}

/** `base` with the extras replaced by `x` (a field left empty is removed, not kept empty). */
export function withExtras<T extends SimulatorExtras>(base: T, x: SimulatorExtras): T {
  const out = { ...base };
  delete out.config;
  delete out.revokedCertificates;
  delete out.crlFile;
  if (x.config) out.config = x.config;
  if (x.revokedCertificates) out.revokedCertificates = x.revokedCertificates;
  if (x.crlFile) out.crlFile = x.crlFile;
  return out;
}
