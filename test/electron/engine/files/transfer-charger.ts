import { createHash, verify, X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RPCClient } from 'ocpp-rpc';
import { rpcClient } from '../engine-harness';
import { strictModeValidators } from '../../../support/ocpp-rpc-strict';
import { run } from './transfer-harness';

interface Handled {
  params?: Record<string, unknown>;
}

/**
 * A minimal charger on ocpp-rpc (strict mode) that really performs the file transfers it is asked for, with curl:
 * GetDiagnostics (1.6) and GetLog (2.0.1) upload a generated file to the given URL (HTTP PUT or FTP STOR);
 * UpdateFirmware (2.0.1) downloads the firmware and verifies its signature with the signing certificate, reporting
 * SignatureVerified or InvalidSignature. Status notifications go out as a real charger sends them.
 */
export class TransferCharger {
  readonly client: RPCClient;
  /** The bytes each upload sent, by file name. */
  readonly uploaded = new Map<string, Buffer>();
  /** Settles when the transfer an incoming request started is over (the last status notification was answered). */
  done: Promise<void> = Promise.resolve();

  constructor(
    endpoint: string,
    readonly identity: string,
    readonly version: '1.6' | '2.0.1',
    private readonly work: string,
  ) {
    this.client = rpcClient({
      endpoint,
      identity,
      protocols: [version === '1.6' ? 'ocpp1.6' : 'ocpp2.0.1'],
      strictMode: true,
      strictModeValidators,
    });
    this.client.handle('GetDiagnostics', async ({ params = {} }: Handled) => {
      const fileName = `diagnostics-${identity}.txt`;
      this.done = this.upload(String(params.location), fileName, (status) =>
        this.client.call('DiagnosticsStatusNotification', { status }),
      );
      return { fileName };
    });
    this.client.handle('GetLog', async ({ params = {} }: Handled) => {
      const requestId = Number(params.requestId);
      const log = params.log as { remoteLocation: string };
      const filename = `log-${identity}.tgz`;
      this.done = this.upload(log.remoteLocation, filename, (status) =>
        this.client.call('LogStatusNotification', { status, requestId }),
      );
      return { status: 'Accepted', filename };
    });
    this.client.handle('UpdateFirmware', async ({ params = {} }: Handled) => {
      const requestId = Number(params.requestId);
      const fw = params.firmware as { location: string; signingCertificate: string; signature: string };
      this.done = this.firmware(fw, (status) =>
        this.client.call('FirmwareStatusNotification', { status, requestId }),
      );
      return { status: 'Accepted' };
    });
  }

  async connect(): Promise<void> {
    await this.client.connect();
    const boot =
      this.version === '1.6'
        ? { chargePointVendor: 'Test', chargePointModel: 'Transfer' }
        : { reason: 'PowerUp', chargingStation: { vendorName: 'Test', model: 'Transfer' } };
    await this.client.call('BootNotification', boot);
  }

  async close(): Promise<void> {
    await this.client.close({ force: true });
  }

  /** The location is a folder URL: the file goes to location + name, as chargers do. */
  private async upload(
    location: string,
    name: string,
    report: (status: string) => Promise<unknown>,
  ): Promise<void> {
    await Promise.resolve();
    const body = Buffer.from(`${this.identity} diagnostics\n`.repeat(5000) + new Date().toISOString());
    const file = join(this.work, name);
    await writeFile(file, body);
    await report('Uploading');
    const r = await run('curl', [
      '-sS',
      '--fail',
      '-T',
      file,
      location.endsWith('/') ? location + name : location,
    ]);
    this.uploaded.set(name, body);
    await report(r.code === 0 ? 'Uploaded' : 'UploadFailed');
  }

  private async firmware(
    fw: { location: string; signingCertificate: string; signature: string },
    report: (status: string) => Promise<unknown>,
  ): Promise<void> {
    await Promise.resolve();
    await report('Downloading');
    const file = join(this.work, 'firmware.bin');
    const r = await run('curl', ['-sS', '--fail', '-o', file, fw.location]);
    if (r.code !== 0) {
      await report('DownloadFailed');
      return;
    }
    await report('Downloaded');
    const bytes = await readFile(file);
    const key = new X509Certificate(fw.signingCertificate).publicKey;
    const ok = verify('sha256', bytes, key, Buffer.from(fw.signature, 'base64'));
    this.lastDownloadSha256 = createHash('sha256').update(bytes).digest('hex');
    await report(ok ? 'SignatureVerified' : 'InvalidSignature');
  }

  lastDownloadSha256: string | undefined;
}
