import { RPCClient, createRPCError } from 'ocpp-rpc';
import { strictModeValidators } from '../../../support/ocpp-rpc-strict';

/**
 * A charger made of an ocpp-rpc client (a third-party OCPP stack) answering like a charger would: configuration
 * or device-model variables, triggers that send the triggered message, resets that reboot (a new connection and a
 * BootNotification), availability changes followed by a StatusNotification. `broken` makes it answer
 * NotImplemented to Reset, never send a triggered message, and accept malformed frames silently (no strict mode,
 * and the CALLERROR ocpp-rpc sends for a frame that is not JSON is dropped).
 *
 * With `password` it is a security profile 1 charger: it sends Basic auth, takes a new AuthorizationKey (1.6) or
 * SecurityCtrlr.BasicAuthPassword (2.0.1) and uses it from its next connection on (`keepsOldPassword`: it says
 * Accepted and goes on with the old one), and it connects again when the CSMS drops the connection.
 */

export interface RpcCharger {
  /** Connections made so far (1 + reboots). */
  readonly connections: number;
  stop(): Promise<void>;
}

type Params = Record<string, unknown>;
type Handler = (params: Params) => unknown;

interface Variable {
  value: string;
  readonly?: boolean;
}

const now = (): string => new Date().toISOString();

export function startRpcCharger(
  url: string,
  version: '1.6' | '2.0.1',
  options: { broken?: boolean; identity?: string; password?: string; keepsOldPassword?: boolean } = {},
): Promise<RpcCharger> {
  const broken = options.broken === true;
  let password = options.password;
  /** A new password takes effect from the next connection. */
  const newPassword = (value: unknown): void => {
    if (!options.keepsOldPassword) password = String(value);
  };
  /** Set while we close a connection ourselves (reboot, stop): only a drop by the CSMS brings a reconnect. */
  let closingOnPurpose = false;
  const identity = options.identity ?? (broken ? 'CP-BROKEN' : 'CP-GOOD');
  let current: RPCClient | undefined;
  let stopped = false;
  let connections = 0;
  let heartbeat: NodeJS.Timeout | undefined;
  const config: Record<string, Variable> =
    version === '1.6'
      ? {
          HeartbeatInterval: { value: '300' },
          MeterValueSampleInterval: { value: '60' },
          NumberOfConnectors: { value: '1', readonly: true },
        }
      : {
          'OCPPCommCtrlr.HeartbeatInterval': { value: '300' },
          'OCPPCommCtrlr.OfflineThreshold': { value: '60' },
          'DeviceDataCtrlr.ItemsPerMessage.GetVariables': { value: '10', readonly: true },
        };
  const components = new Set(Object.keys(config).map((k) => k.split('.')[0]));

  const send = (action: string, payload: Params): void => {
    // A call the CSMS does not answer as it should is the CSMS's problem: here it must not end the process.
    current?.call(action, payload).catch(() => undefined);
  };
  const setHeartbeat = (sec: number): void => {
    clearInterval(heartbeat);
    heartbeat = setInterval(() => send('Heartbeat', {}), sec * 1000);
    heartbeat.unref();
  };
  const status16 = (connectorId: number, status: string): Params => ({
    connectorId,
    errorCode: 'NoError',
    status,
  });
  const status201 = (connectorStatus: string): Params => ({
    timestamp: now(),
    connectorStatus,
    evseId: 1,
    connectorId: 1,
  });
  const later = (fn: () => void): void => void setTimeout(fn, 5).unref();

  const triggered: Record<string, () => void> =
    version === '1.6'
      ? {
          BootNotification: () =>
            send('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'RPC-1' }),
          DiagnosticsStatusNotification: () => send('DiagnosticsStatusNotification', { status: 'Idle' }),
          FirmwareStatusNotification: () => send('FirmwareStatusNotification', { status: 'Idle' }),
          Heartbeat: () => send('Heartbeat', {}),
          MeterValues: () =>
            send('MeterValues', {
              connectorId: 1,
              meterValue: [{ timestamp: now(), sampledValue: [{ value: '0' }] }],
            }),
          StatusNotification: () => send('StatusNotification', status16(1, 'Available')),
        }
      : {
          Heartbeat: () => send('Heartbeat', {}),
          StatusNotification: () => send('StatusNotification', status201('Available')),
          MeterValues: () =>
            send('MeterValues', {
              evseId: 1,
              meterValue: [{ timestamp: now(), sampledValue: [{ value: 0 }] }],
            }),
          FirmwareStatusNotification: () => send('FirmwareStatusNotification', { status: 'Idle' }),
          LogStatusNotification: () => send('LogStatusNotification', { status: 'Idle' }),
        };

  const handlers16: Record<string, Handler> = {
    GetConfiguration: (p) => {
      const keys = Array.isArray(p['key']) ? (p['key'] as string[]) : Object.keys(config);
      return {
        configurationKey: keys
          .filter((k) => config[k])
          .map((k) => ({ key: k, readonly: config[k]!.readonly === true, value: config[k]!.value })),
        unknownKey: keys.filter((k) => !config[k]),
      };
    },
    ChangeConfiguration: (p) => {
      const key = String(p['key']);
      if (key === 'AuthorizationKey' && password !== undefined) {
        newPassword(p['value']);
        return { status: 'Accepted' };
      }
      const v = config[key];
      if (!v) return { status: 'NotSupported' };
      if (v.readonly) return { status: 'Rejected' };
      const value = p['value'];
      if (typeof value !== 'string' || !/^\d+$/.test(value)) return { status: 'Rejected' };
      v.value = value;
      if (key === 'HeartbeatInterval') setHeartbeat(Number(value));
      return { status: 'Accepted' };
    },
    UnlockConnector: (p) => ({ status: p['connectorId'] === 1 ? 'Unlocked' : 'NotSupported' }),
    ChangeAvailability: (p) => {
      later(() =>
        send(
          'StatusNotification',
          status16(Number(p['connectorId']), p['type'] === 'Inoperative' ? 'Unavailable' : 'Available'),
        ),
      );
      return { status: 'Accepted' };
    },
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
    RemoteStopTransaction: () => ({ status: 'Rejected' }),
    RemoteStartTransaction: (p) => ({ status: p['connectorId'] === 0 ? 'Rejected' : 'Accepted' }),
  };

  const variableKey = (d: Params): string => {
    const c = (d['component'] as Params | undefined)?.['name'];
    const v = d['variable'] as Params | undefined;
    return [c, v?.['name'], v?.['instance']].filter((x) => x !== undefined).join('.');
  };
  const attributeStatus = (d: Params): string | undefined => {
    const c = String((d['component'] as Params | undefined)?.['name']);
    if (!components.has(c)) return 'UnknownComponent';
    if (!config[variableKey(d)]) return 'UnknownVariable';
    return undefined;
  };
  const handlers201: Record<string, Handler> = {
    GetVariables: (p) => {
      const list = Array.isArray(p['getVariableData']) ? (p['getVariableData'] as Params[]) : [];
      return {
        getVariableResult: list.map((d) => {
          const problem = attributeStatus(d);
          return {
            attributeStatus: problem ?? 'Accepted',
            component: d['component'],
            variable: d['variable'],
            ...(problem ? {} : { attributeValue: config[variableKey(d)]!.value }),
          };
        }),
      };
    },
    SetVariables: (p) => {
      const list = Array.isArray(p['setVariableData']) ? (p['setVariableData'] as Params[]) : [];
      return {
        setVariableResult: list.map((d) => {
          if (variableKey(d) === 'SecurityCtrlr.BasicAuthPassword' && password !== undefined) {
            newPassword(d['attributeValue']);
            return { attributeStatus: 'Accepted', component: d['component'], variable: d['variable'] };
          }
          let status = attributeStatus(d);
          const v = config[variableKey(d)];
          if (!status && v) {
            if (v.readonly || !/^\d+$/.test(String(d['attributeValue']))) status = 'Rejected';
            else {
              v.value = String(d['attributeValue']);
              if (variableKey(d) === 'OCPPCommCtrlr.HeartbeatInterval') setHeartbeat(Number(v.value));
            }
          }
          return {
            attributeStatus: status ?? 'Accepted',
            component: d['component'],
            variable: d['variable'],
          };
        }),
      };
    },
    UnlockConnector: (p) => ({ status: p['evseId'] === 1 ? 'Unlocked' : 'UnknownConnector' }),
    ChangeAvailability: (p) => {
      later(() =>
        send(
          'StatusNotification',
          status201(p['operationalStatus'] === 'Inoperative' ? 'Unavailable' : 'Available'),
        ),
      );
      return { status: 'Accepted' };
    },
    DataTransfer: () => ({ status: 'UnknownVendorId' }),
    RequestStopTransaction: () => ({ status: 'Rejected' }),
    RequestStartTransaction: () => ({ status: 'Accepted' }),
  };

  const handlers: Record<string, Handler> = {
    ...(version === '1.6' ? handlers16 : handlers201),
    Reset: () => {
      if (broken) throw createRPCError('NotImplemented', 'Reset is not implemented here');
      later(() => void reboot());
      return { status: 'Accepted' };
    },
    TriggerMessage: (p) => {
      const message = String(p['requestedMessage']);
      // After an accepted boot a 2.0.1 station refuses to boot again on request.
      if (version === '2.0.1' && message === 'BootNotification') return { status: 'Rejected' };
      const fn = triggered[message];
      if (!fn) return { status: 'NotImplemented' };
      if (!broken) later(fn);
      return { status: 'Accepted' };
    },
  };

  async function boot(): Promise<void> {
    const client = new RPCClient({
      endpoint: url,
      identity,
      protocols: [`ocpp${version}`],
      strictMode: !broken,
      strictModeValidators,
      reconnect: false,
      callTimeoutMs: 10_000,
      ...(password !== undefined ? { password } : {}),
    } as never);
    if (password !== undefined)
      client.on('close', () => {
        if (client !== current || closingOnPurpose || stopped) return;
        later(() => void boot().catch(() => undefined));
      });
    const raw = client.sendRaw.bind(client);
    client.sendRaw = (text: string): void => {
      // broken: the error ocpp-rpc sends for a frame that is not JSON (id "-1") never leaves.
      if (broken && text.startsWith('[4,"-1"')) return;
      // ocpp-rpc 2.2.1 spells the 2.0.1 code with 1.6's single r; a compliant 2.0.1 station spells it right.
      if (version === '2.0.1')
        text = text.replace('"OccurenceConstraintViolation"', '"OccurrenceConstraintViolation"');
      raw(text);
    };
    for (const [action, fn] of Object.entries(handlers))
      client.handle(action, (async ({ params }: { params: Params }) => fn(params)) as never);
    current = client;
    await client.connect();
    connections++;
    const reason = connections > 1 ? 'RemoteReset' : 'PowerUp';
    await (version === '1.6'
      ? client.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'RPC-1' })
      : client.call('BootNotification', { reason, chargingStation: { model: 'RPC-1', vendorName: 'Acme' } }));
    // Queued in order (one call at a time); a reset may close the connection before they are answered.
    if (version === '1.6') {
      send('StatusNotification', status16(0, 'Available'));
      send('StatusNotification', status16(1, 'Available'));
    } else send('StatusNotification', status201('Available'));
  }

  async function reboot(): Promise<void> {
    const old = current;
    closingOnPurpose = true;
    await old?.close({ code: 1012, reason: 'reset' }).catch(() => undefined);
    closingOnPurpose = false;
    if (!stopped) await boot().catch(() => undefined);
  }

  return boot().then(() => ({
    get connections() {
      return connections;
    },
    async stop() {
      stopped = true;
      clearInterval(heartbeat);
      await current?.close({ code: 1000, force: true }).catch(() => undefined);
    },
  }));
}
