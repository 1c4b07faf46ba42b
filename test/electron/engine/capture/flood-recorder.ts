// Child process for the kill -9 test: records a flood of frames until killed.
import { EventStream } from '../../../../electron/engine/connections/event-stream';
import { Recorder } from '../../../../electron/engine/capture/recorder';

const folder = process.argv[2]!;
const stream = new EventStream();
const recorder = new Recorder(stream, { folder, tool: 'flood' });
stream.emit({
  kind: 'opened',
  conn: 'c1',
  ok: true,
  connection: { id: 'c1', role: 'endpoint', identity: 'FLOOD', url: 'ws://127.0.0.1/FLOOD' },
  handshake: {
    request: { startLine: 'GET /FLOOD HTTP/1.1', headers: [] },
    offeredProtocols: [],
    findings: [],
  },
});
const status = recorder.start();
process.stdout.write(`file ${status.file}\n`);
let i = 0;
const payload = 'x'.repeat(300);
function burst(): void {
  for (let k = 0; k < 200; k++, i++) {
    stream.emit({
      kind: 'frame',
      conn: 'c1',
      sender: 'station',
      text: JSON.stringify([2, String(i), 'DataTransfer', { vendorId: 'v', data: payload }]),
      msg: { type: 2, id: String(i), action: 'DataTransfer' },
      findings: [],
    });
  }
  setImmediate(burst);
}
burst();
