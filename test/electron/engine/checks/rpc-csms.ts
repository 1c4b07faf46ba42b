import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import type { RPCClient } from 'ocpp-rpc';
import { strictModeValidators } from '../../../support/ocpp-rpc-strict';

/**
 * A CSMS made of an ocpp-rpc server in strict mode. `wrong` makes it answer BootNotification Pending, accept every
 * card, and accept DataTransfer from any vendor: the cases checking those must fail, and only those. With
 * `password` it enforces security profile 1 with ocpp-rpc's own Basic auth reading: anything but that password (or
 * none) is refused with 401 before the upgrade.
 */

type Params = Record<string, unknown>;
const now = (): string => new Date().toISOString();

export async function startRpcCsms(
  version: '1.6' | '2.0.1',
  options: { wrong?: boolean; knownTag?: string; password?: string } = {},
): Promise<{ url: string; stop: () => Promise<void> }> {
  const wrong = options.wrong === true;
  const known = options.knownTag ?? 'OCPPSCOPE1';
  const server = new RPCServer({
    protocols: [`ocpp${version}`],
    strictMode: true,
    strictModeValidators,
  } as never);
  const password = options.password;
  if (password !== undefined)
    server.auth(((
      accept: () => void,
      reject: (code: number, message: string) => void,
      handshake: { password?: Buffer },
    ) => {
      if (handshake.password?.toString('utf8') === password) accept();
      else reject(401, 'Unauthorized');
    }) as never);
  const tagStatus = (tag: unknown): string => (wrong || tag === known ? 'Accepted' : 'Invalid');
  const handlers: Record<string, (p: Params) => unknown> =
    version === '1.6'
      ? {
          BootNotification: () => ({
            status: wrong ? 'Pending' : 'Accepted',
            currentTime: now(),
            interval: 300,
          }),
          Heartbeat: () => ({ currentTime: now() }),
          StatusNotification: () => ({}),
          Authorize: (p) => ({ idTagInfo: { status: tagStatus(p['idTag']) } }),
          StartTransaction: (p) => ({ transactionId: 77, idTagInfo: { status: tagStatus(p['idTag']) } }),
          MeterValues: () => ({}),
          StopTransaction: () => ({}),
          DataTransfer: () => ({ status: wrong ? 'Accepted' : 'UnknownVendorId' }),
        }
      : {
          BootNotification: () => ({
            status: wrong ? 'Pending' : 'Accepted',
            currentTime: now(),
            interval: 300,
          }),
          Heartbeat: () => ({ currentTime: now() }),
          StatusNotification: () => ({}),
          Authorize: (p) => ({ idTokenInfo: { status: tagStatus((p['idToken'] as Params)['idToken']) } }),
          TransactionEvent: (p) =>
            p['idToken'] ? { idTokenInfo: { status: tagStatus((p['idToken'] as Params)['idToken']) } } : {},
          MeterValues: () => ({}),
          DataTransfer: () => ({ status: wrong ? 'Accepted' : 'UnknownVendorId' }),
        };
  server.on('client', (client: RPCClient) => {
    if (version === '2.0.1') {
      // ocpp-rpc 2.2.1 spells the 2.0.1 code with 1.6's single r; a compliant 2.0.1 CSMS spells it right.
      const raw = client.sendRaw.bind(client);
      client.sendRaw = (text: string): void =>
        raw(text.replace('"OccurenceConstraintViolation"', '"OccurrenceConstraintViolation"'));
    }
    for (const [action, fn] of Object.entries(handlers))
      client.handle(action, (async ({ params }: { params: Params }) => fn(params)) as never);
  });
  const http = await server.listen(0, '127.0.0.1');
  const port = (http.address() as AddressInfo).port;
  return { url: `ws://127.0.0.1:${port}/ocpp/CP-CHECK`, stop: () => server.close({ force: true }) };
}
