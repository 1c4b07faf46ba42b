import type { WebSocket } from 'ws';
import type { EngineApi, EngineNotice } from '../../shared/api';
import type { BridgeServerMessage } from '../../shared/api-bridge';
import { parseClientCall } from '../../shared/api-bridge';
import { dispatchCall } from '../../shared/api-dispatch';

/** The engine as the bridge needs it: the contract plus the batched notices. */
export interface BridgedEngine extends EngineApi {
  onNotices(listener: (notices: EngineNotice[]) => void): () => void;
}

/**
 * Carries the contract over one WebSocket: each call message gets one reply (result or error with a stable code),
 * and every notice batch is pushed as it comes. The socket was already authorised by the serve host (token, host,
 * origin); arguments are still validated here, as for IPC.
 */
export function attachBridge(socket: WebSocket, engine: BridgedEngine): void {
  const send = (message: BridgeServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const unsubscribe = engine.onNotices((notices) => send({ type: 'notices', notices }));
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.close(1003, 'text frames only');
      return;
    }
    const call = parseClientCall(data.toString());
    if (!call) {
      socket.close(1008, 'not a bridge call');
      return;
    }
    void dispatchCall(engine, call.method, call.args).then((reply) =>
      send({ type: 'reply', id: call.id, reply }),
    );
  });
  socket.on('close', unsubscribe);
  socket.on('error', unsubscribe);
}
