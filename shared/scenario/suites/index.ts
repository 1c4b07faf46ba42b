import type { Scenario } from '../scenario-types';
import { CHARGER_CORE_16 } from './charger-core-1-6';
import { CHARGER_CORE_201 } from './charger-core-2-0-1';
import { CHARGER_SECURITY_16, CHARGER_SECURITY_201 } from './charger-security';
import { CSMS_CORE_16, CSMS_CORE_201 } from './csms-core';
import { CSMS_SECURITY_16, CSMS_SECURITY_201 } from './csms-security';

/** The built-in suites, by name (the name is what `check --suite` and the Checks tab take). */
export const BUILT_IN_SUITES: readonly Scenario[] = [
  CHARGER_CORE_16,
  CHARGER_CORE_201,
  CHARGER_SECURITY_16,
  CHARGER_SECURITY_201,
  CSMS_CORE_16,
  CSMS_CORE_201,
  CSMS_SECURITY_16,
  CSMS_SECURITY_201,
];

export function builtInSuite(name: string): Scenario | undefined {
  return BUILT_IN_SUITES.find((s) => s.name === name);
}
