import type { OcppVersion } from './versions';

/**
 * The CALLERROR error codes each version defines. 1.6 spells "OccurenceConstraintViolation" with one r and calls
 * the syntax error "FormationViolation"; 2.x fixed the spelling, renamed it "FormatViolation" and added
 * MessageTypeNotSupported and RpcFrameworkError for problems with the RPC frame itself.
 */
export const ERROR_CODES_16 = [
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'PropertyConstraintViolation',
  'OccurenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
] as const;

export const ERROR_CODES_2X = [
  'FormatViolation',
  'GenericError',
  'InternalError',
  'MessageTypeNotSupported',
  'NotImplemented',
  'NotSupported',
  'OccurrenceConstraintViolation',
  'PropertyConstraintViolation',
  'ProtocolError',
  'RpcFrameworkError',
  'SecurityError',
  'TypeConstraintViolation',
] as const;

export type ErrorCode16 = (typeof ERROR_CODES_16)[number];
export type ErrorCode2x = (typeof ERROR_CODES_2X)[number];
export type OcppErrorCode = ErrorCode16 | ErrorCode2x;

export const ERROR_CODES: Readonly<Record<OcppVersion, readonly string[]>> = {
  '1.6': ERROR_CODES_16,
  '2.0.1': ERROR_CODES_2X,
  '2.1': ERROR_CODES_2X,
};

export function isErrorCodeOf(version: OcppVersion, code: string): boolean {
  return ERROR_CODES[version].includes(code);
}

/** Payload syntactically wrong for its action: FormationViolation (1.6) / FormatViolation (2.x). */
export function formatViolationCode(
  version: OcppVersion | undefined,
): 'FormationViolation' | 'FormatViolation' {
  return version === '1.6' ? 'FormationViolation' : 'FormatViolation';
}

/** A required property missing: the 1.6 code keeps the specification's misspelling. */
export function occurrenceViolationCode(
  version: OcppVersion | undefined,
): 'OccurenceConstraintViolation' | 'OccurrenceConstraintViolation' {
  return version === '1.6' ? 'OccurenceConstraintViolation' : 'OccurrenceConstraintViolation';
}

/**
 * The frame itself is not a valid RPC message (id unreadable, wrong element count...). 1.6 has no RpcFrameworkError;
 * its closest code, and the one 1.6 peers use in practice, is FormationViolation.
 */
export function rpcFrameworkErrorCode(
  version: OcppVersion | undefined,
): 'FormationViolation' | 'RpcFrameworkError' {
  return version === '1.6' ? 'FormationViolation' : 'RpcFrameworkError';
}

/** Unknown or (for the version) unsupported message type id. 1.6 has no MessageTypeNotSupported. */
export function messageTypeNotSupportedCode(
  version: OcppVersion | undefined,
): 'FormationViolation' | 'MessageTypeNotSupported' {
  return version === '1.6' ? 'FormationViolation' : 'MessageTypeNotSupported';
}
