import type { SimulatorSettings } from '../../../shared/api';
import { defaultStationSettings } from '../../../shared/api-defaults';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import { SimulatorExtraFields, withExtras } from './simulator-extra-fields';

/**
 * The station form's simulator part: on or off, what the charger says of itself (BootNotification), its initial
 * configuration and the certificate serials it knows to be revoked.
 */
export function SimulatorFields({
  value,
  versions,
  caFile,
  onChange,
  onValidity,
}: {
  value: SimulatorSettings | undefined;
  /** The versions the station offers (a 2.x-only station's keys are checked against the device model). */
  versions: OcppVersion[];
  /** The station's TLS CA file, which a CRL's signature is checked against. */
  caFile?: string | undefined;
  onChange: (v: SimulatorSettings | undefined) => void;
  onValidity: (ok: boolean) => void;
}) {
  return (
    <>
      <label className="check" style={{ marginBottom: 6 }}>
        <input
          type="checkbox"
          data-testid="station-simulate"
          checked={value !== undefined}
          onChange={(e) =>
            onChange(
              e.target.checked
                ? (defaultStationSettings().simulator ?? {
                    vendor: 'OCPP Scope',
                    model: 'Simulated AC 22',
                    connectors: 2,
                  })
                : undefined,
            )
          }
        />{' '}
        Behave as a charger (boot, heartbeat, connectors, transactions; its card is in the Stations tab). Off:
        only answer the CSMS and send what you compose.
      </label>
      {value && (
        <div className="field-row field">
          {(['vendor', 'model', 'serialNumber', 'firmwareVersion'] as const).map((k) => (
            <input
              key={k}
              className="input grow"
              data-testid={`station-sim-${k}`}
              placeholder={
                {
                  vendor: 'vendor',
                  model: 'model',
                  serialNumber: 'serial number',
                  firmwareVersion: 'firmware',
                }[k]
              }
              value={value?.[k] ?? ''}
              onChange={(e) =>
                onChange({
                  ...value,
                  [k]: e.target.value || (k === 'vendor' || k === 'model' ? '' : undefined),
                })
              }
            />
          ))}
          <input
            className="input"
            type="number"
            min={1}
            max={32}
            title="connectors"
            data-testid="station-sim-connectors"
            value={value.connectors}
            onChange={(e) =>
              onChange({
                ...value,
                connectors: Math.min(32, Math.max(1, Math.floor(Number(e.target.value) || 1))),
              })
            }
          />
        </div>
      )}
      {value && (
        <SimulatorExtraFields
          testId="station-sim"
          versions={versions}
          connectors={value.connectors}
          caFile={caFile}
          value={value}
          onChange={(x) => onChange(withExtras(value, x))}
          onValidity={onValidity}
        />
      )}
    </>
  );
}
