import type { OcppVersion } from '../shared/ocpp/versions';

/** The file (without .json) each version's validators are written to, under shared/ocpp/generated/validators. */
export declare const FILE_OF: Record<OcppVersion, string>;
/** Hash of what a version's generated validators depend on (schemas, ajv versions and options, the generator). */
export declare function inputsHash(version: OcppVersion): string;
