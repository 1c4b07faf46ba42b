import type { AppSettings, EndpointSettings, StationSettings } from './api';

/**
 * Safe defaults: what a first start uses, and what a corrupt settings file falls back to. The endpoint listens on
 * all interfaces (chargers on the LAN must reach it) without security, which is the usual first diagnostic step.
 */
export function defaultEndpointSettings(): EndpointSettings {
  return {
    host: '0.0.0.0',
    port: 9000,
    protocols: ['1.6', '2.0.1', '2.1'],
    unknownProtocol: 'accept',
    securityProfile: 0,
    passwords: {},
    acceptAnyPassword: true,
    pingIntervalSec: 30,
    callTimeoutSec: 30,
    limits: { maxFrameBytes: 1024 * 1024, maxFramesPerSec: 200, maxConnections: 10_000 },
  };
}

export function defaultStationSettings(): StationSettings {
  return {
    url: 'ws://127.0.0.1:9000/CP001',
    protocols: ['1.6'],
    // The station behaves like a charger unless the user switches the simulator off.
    simulator: { vendor: 'OCPP Scope', model: 'Simulated AC 22', connectors: 2 },
  };
}

export function defaultAppSettings(): AppSettings {
  return {
    endpoint: defaultEndpointSettings(),
    station: defaultStationSettings(),
    autoAnswer: [],
    recordByDefault: false,
    recentCaptures: [],
    theme: 'system',
    timeZone: 'local',
  };
}
