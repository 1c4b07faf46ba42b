import type { IpcMainInvokeEvent, WebContents } from 'electron';
import type { EngineApi } from '../../shared/api';
import { API_METHODS } from '../../shared/api';
import type { ApiReply } from '../../shared/api-bridge';
import { dispatchCall } from '../../shared/api-dispatch';
import { isAppUrl } from './app-protocol';
import { callChannel } from './ipc-channels';

/** The part of ipcMain this module uses, so tests can pass a recorder. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

/**
 * A call is accepted only from the main frame of our own window showing our own page: not from a subframe, not
 * from another window, not after a navigation elsewhere.
 */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  window: () => WebContents | undefined,
): boolean {
  const ours = window();
  if (!ours || event.sender !== ours) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== ours.mainFrame) return false;
  return isAppUrl(frame.url);
}

/** Registers one handler per contract method; each answers with an ApiReply (the preload unwraps it). */
export function registerIpcHandlers(
  ipc: IpcMainLike,
  engine: EngineApi,
  window: () => WebContents | undefined,
): () => void {
  for (const method of API_METHODS) {
    ipc.handle(callChannel(method), async (event, ...args): Promise<ApiReply> => {
      if (!isTrustedSender(event, window)) {
        return {
          ok: false,
          error: { code: 'forbidden', message: 'This call did not come from the OCPP Scope window.' },
        };
      }
      return dispatchCall(engine, method, args);
    });
  }
  return () => {
    for (const method of API_METHODS) ipc.removeHandler(callChannel(method));
  };
}
