import { describe, expect, it } from 'vitest';
import { CSMS_SECURITY_16, CSMS_SECURITY_201 } from '../../../../shared/scenario/suites/csms-security';
import {
  CHARGER_SECURITY_16,
  CHARGER_SECURITY_201,
} from '../../../../shared/scenario/suites/charger-security';

const ids = (cases: { id: string; octt?: string }[]) => Object.fromEntries(cases.map((c) => [c.id, c.octt]));

describe('security suites carry the OCTT test case id of each case that has one', () => {
  it('CSMS side, 2.0.1: TC_A_01_CSMS accepts, TC_A_03_CSMS refuses a wrong password and no credentials', () => {
    expect(ids(CSMS_SECURITY_201.cases!)).toEqual({
      'basic-auth-accepted': 'TC_A_01_CSMS',
      'wrong-password-refused': 'TC_A_03_CSMS',
      'no-credentials-refused': 'TC_A_03_CSMS',
    });
  });

  it('CSMS side, 1.6: TC_085_CSMS accepts; OCTT 1.6 has no Central System refusal case, so those carry none', () => {
    expect(ids(CSMS_SECURITY_16.cases!)).toEqual({
      'basic-auth-accepted': 'TC_085_CSMS',
      'wrong-password-refused': undefined,
      'no-credentials-refused': undefined,
    });
  });

  it('charger side keeps its ids after the two versions share their profile cases', () => {
    expect(ids(CHARGER_SECURITY_16.cases!)).toEqual({
      'basic-auth': 'TC_085_CS',
      tls: 'TC_086_CS',
      'password-update': 'TC_073_CS',
    });
    expect(ids(CHARGER_SECURITY_201.cases!)).toEqual({
      'basic-auth': 'TC_A_01_CS',
      tls: 'TC_A_04_CS',
      'password-update': 'TC_A_09_CS',
    });
    expect(CHARGER_SECURITY_16.cases![0]!.title).toContain('the charger sends');
    expect(CHARGER_SECURITY_201.cases![0]!.title).toContain('the station sends');
  });
});
