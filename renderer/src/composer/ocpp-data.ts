// Everything schema-sized, in one lazily loaded chunk: the official schemas (a few MB for three versions) and the
// example payloads built from them. None of it validates anything (no ajv): Monaco does that in its worker.
export { SCHEMA_INDEX } from '../../../shared/ocpp/generated/schema-index';
export { examplePayload, hasExample } from '../../../shared/ocpp/examples';
export { payloadSchema } from '../../../shared/ocpp/payload-schema';
