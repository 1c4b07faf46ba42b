// A bare ws charger in a process of its own, for the RTT test of pipelined calls: on "burst <n>" (a line on stdin)
// it hands n Heartbeats to its socket in one write, then notes when each answer's bytes were read (ms on a clock
// every process on this machine shares: performance.timeOrigin + performance.now()). Once all n are answered it
// prints "sent <t> <waitedMs>" and "answer <id> <t>" per answer, so that printing delays no read; waitedMs is how
// long it waited for a CPU meanwhile (Linux's schedstat; 0 elsewhere).
//
//   node burst-peer.mjs <url> <subprotocol>   connects; prints "open"; exits when stdin closes
import { waitedMs as waited } from './thread-wait.mjs';
import { WebSocket } from 'ws';

const now = () => performance.timeOrigin + performance.now();

const [url, sub] = process.argv.slice(2);
const ws = new WebSocket(url, [sub]);
let readAt = 0;
let expected = 0;
let sentAt = 0;
let waitedAtSend = 0;
const answers = [];
ws.on('open', () => {
  ws._socket.prependListener('data', () => {
    readAt = now();
  });
  process.stdout.write('open\n');
});
ws.on('message', (data) => {
  const f = JSON.parse(String(data));
  if (!Array.isArray(f) || f[0] !== 3) return;
  answers.push(`answer ${f[1]} ${readAt}`);
  if (answers.length === expected) {
    process.stdout.write(`sent ${sentAt} ${waited() - waitedAtSend}\n${answers.join('\n')}\n`);
    answers.length = 0;
  }
});
ws.on('error', (e) => process.stdout.write(`error ${e.message}\n`));

let rest = '';
process.stdin.on('data', (d) => {
  const lines = (rest + d.toString('latin1')).split('\n');
  rest = lines.pop();
  for (const line of lines) {
    const [word, n] = line.split(' ');
    if (word !== 'burst') continue;
    expected = Number(n);
    const frames = [];
    for (let i = 0; i < expected; i++) frames.push(`[2,"b${i}","Heartbeat",{}]`);
    waitedAtSend = waited();
    ws._socket.cork();
    for (const f of frames) ws.send(f);
    ws._socket.uncork();
    sentAt = now();
  }
});
process.stdin.on('end', () => process.exit(0));
