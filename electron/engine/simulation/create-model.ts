import type { SimulatorSettings } from '../../../shared/api';
import type { OcppVersion } from '../../../shared/ocpp/versions';
import type { ChargerCore, ModelHost } from './charger-core';
import { Model16 } from './model-16';
import { Model2x } from './model-2x';

/** The charger model of a version family. */
export function createModel(
  version: OcppVersion,
  settings: Partial<SimulatorSettings> | undefined,
  host: ModelHost,
  now: number,
): ChargerCore {
  return version === '1.6' ? new Model16(settings, host, now) : new Model2x(version, settings, host, now);
}
