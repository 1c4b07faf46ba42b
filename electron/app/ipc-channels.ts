import type { ApiMethod } from '../../shared/api';

/** One IPC channel per contract method (no generic "invoke anything" channel), and one for pushed notices. */
export const callChannel = (method: ApiMethod): string => `ocpp-scope:call:${method}`;
export const NOTICES_CHANNEL = 'ocpp-scope:notices';
/** The File menu's commands (MenuCommand), main -> window. */
export const MENU_CHANNEL = 'ocpp-scope:menu';
