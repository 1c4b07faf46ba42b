// A bare ws OCPP peer in a process of its own, for the RTT tests: it answers every CALL at once with `[3,id,{}]`
// and prints, per call, when its bytes were read and when the answer was handed to the socket (ms on a clock every
// process on this machine shares), and how long it waited for a CPU since its previous answer. Being in another
// process, it answers while the tool is still busy with the call it just sent: any work of the tool that delays
// reading the answer shows in the tool's figure, not in this one.
//
//   node instant-peer.mjs server              listens on 127.0.0.1, port 0; prints "listening <port>"
//   node instant-peer.mjs client <url> <sub>  connects; prints "open"
// Prints "call <id> <read> <wrote> <waitedMs>" per CALL answered. Exits when stdin closes.
import { waitedMs as waited } from './thread-wait.mjs';
import { WebSocket, WebSocketServer } from 'ws';

const now = () => performance.timeOrigin + performance.now();

let lastWaited = waited();

function answer(ws) {
  let readAt = now();
  ws._socket.prependListener('data', () => {
    readAt = now();
  });
  ws.on('message', (data) => {
    let f;
    try {
      f = JSON.parse(String(data));
    } catch {
      return;
    }
    if (!Array.isArray(f) || f[0] !== 2) return;
    ws.send(JSON.stringify([3, f[1], {}]));
    const wrote = now();
    const w = waited();
    process.stdout.write(`call ${f[1]} ${readAt} ${wrote} ${w - lastWaited}\n`);
    lastWaited = w;
  });
}

const [mode, url, sub] = process.argv.slice(2);
if (mode === 'server') {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (p) => [...p][0] ?? false });
  wss.on('connection', answer);
  wss.on('listening', () => process.stdout.write(`listening ${wss.address().port}\n`));
} else {
  const ws = new WebSocket(url, [sub]);
  ws.on('open', () => {
    answer(ws);
    process.stdout.write('open\n');
  });
  ws.on('error', (e) => process.stdout.write(`error ${e.message}\n`));
}
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
