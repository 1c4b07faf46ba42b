import type { WebSocket } from 'ws';
import type { EngineApi, EngineNotice } from '../../shared/api';
import type { BridgeServerMessage } from '../../shared/api-bridge';
import { parseClientCall } from '../../shared/api-bridge';
import { dispatchCall } from '../../shared/api-dispatch';
import { NoticeBacklog } from './notice-backlog';
import { UploadTracker } from './upload-tracker';

/** The engine as the bridge needs it: the contract plus the batched notices. */
export interface BridgedEngine extends EngineApi {
  onNotices(listener: (notices: EngineNotice[]) => void): () => void;
}

/**
 * Carries the contract over one WebSocket: each call message gets one reply (result or error with a stable code),
 * and every notice batch is pushed as it comes, unless the client lags (see BridgeLimits). The socket was already authorised by the serve host (token, host,
 * origin); arguments are still validated here, as for IPC.
 */
export interface BridgeLimits {
  /** Above this many bytes waiting in the socket, notices are held back (and merged) instead of sent. */
  highWaterBytes: number;
  /** How many live events may wait for a slow client; beyond that they are dropped and a resync notice says so. */
  maxPendingEvents: number;
}

export const DEFAULT_BRIDGE_LIMITS: BridgeLimits = {
  highWaterBytes: 4 * 1024 * 1024,
  maxPendingEvents: 50_000,
};

export function attachBridge(
  socket: WebSocket,
  engine: BridgedEngine,
  limits: BridgeLimits = DEFAULT_BRIDGE_LIMITS,
): void {
  const backlog = new NoticeBacklog(limits.maxPendingEvents);
  const uploads = new UploadTracker();
  const congested = (): boolean => socket.bufferedAmount > limits.highWaterBytes;
  // Each send's callback runs once its bytes are handed to the OS: the moment to try the backlog again.
  const afterWrite = (): void => {
    if (!backlog.empty && !congested()) sendNotices(backlog.take());
  };
  const send = (message: BridgeServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message), afterWrite);
  };
  const sendNotices = (notices: EngineNotice[]): void => {
    if (notices.length > 0) send({ type: 'notices', notices });
  };
  // A throttled tab must not make the host buffer without bound: while the socket is congested, notices wait here.
  const unsubscribe = engine.onNotices((notices) => {
    if (backlog.empty && !congested()) return sendNotices(notices);
    backlog.add(notices);
    if (!congested()) sendNotices(backlog.take());
  });
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
    void dispatchCall(engine, call.method, call.args).then((reply) => {
      const orphan = uploads.track(call.method, call.args, reply);
      if (orphan) void engine.cancelUpload(orphan).catch(() => undefined);
      send({ type: 'reply', id: call.id, reply });
    });
  });
  // The page went away (closed, reloaded, lost): what it was uploading will never finish, so nothing of it stays.
  const gone = (): void => {
    unsubscribe();
    for (const id of uploads.take()) void engine.cancelUpload(id).catch(() => undefined);
  };
  socket.on('close', gone);
  socket.on('error', gone);
}
