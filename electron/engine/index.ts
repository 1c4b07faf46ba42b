/**
 * The engine's public surface: the desktop app, serve mode and the CLI import the engine through this file only
 * (a lint rule holds them to it), so the folders behind it can be reorganised without touching the callers.
 */

// The facade the UI talks to (desktop and serve mode).
export { ScopeEngine, TOOL_NAME, TOOL_VERSION } from './scope-engine';

// Connections and their event stream.
export { ConnectionHub } from './connections/connection-hub';
export { NotOpenError } from './connections/connection';
export { EventStream } from './connections/event-stream';
export { eventToText } from './connections/event-text';

// The tool as a CSMS, as a charger, and the proxy between them.
export { DEFAULT_ENDPOINT_SETTINGS, Endpoint, usesLocalCa } from './endpoint/endpoint';
export { Station } from './station/station';
export { AutoAnswerBook } from './station/auto-answer';
export { localCa } from './tls/certificates';
export type { CertificateBundle } from './tls/certificates';

// Captures: reading, recording, exporting.
export type { EventSource, SourceStats } from './capture/event-source';
export { MemorySource } from './capture/memory-source';
export { Recorder } from './capture/recorder';
export { exportToFile } from './capture/export-source';
export { openSourceFile } from './capture/open-source';

// Replay.
export type { ReplayLink } from './replay/replay-link';
export { buildPlan } from './replay/replay-plan';
export {
  connectionLink,
  fallbackFrom,
  holdEverythingBook,
  LinkError,
  nextCharger,
  openStationLink,
  ReplayHub,
  waitForCharger,
} from './replay/engine-links';
export { ReplayRun } from './replay/replay-engine';
export { compareSources } from './capture/capture-compare';

// File server, simulated chargers, check suites.
export { FileServer, PROTOCOLS, defaultFilesSettings, transferUrl } from './files/file-server';
export { Fleet } from './simulation/fleet';
export type { FleetOptions } from './simulation/fleet';
export { HttpFileTransferClient } from './simulation/file-transfer';
export { keptCaTrust } from './simulation/transfer-trust';
export { ChargerPeer, CsmsPeer } from './checks/check-peer';
export type { CheckPeer } from './checks/check-peer';
export { CheckRun } from './checks/check-run';
export type { PromptAnswer } from './checks/check-run';
export { simulatorSettingsProblems, withCrlSerials } from './simulation/simulator-settings-check';
