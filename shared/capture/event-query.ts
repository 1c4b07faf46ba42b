import type { Sender } from '../ocpp/sender';

/** What the one event filter (UI bar, `inspect` flags) selects; every field narrows, absent fields match all. */
export interface EventQuery {
  connection?: string;
  identity?: string;
  action?: string;
  messageType?: number;
  sender?: Sender;
  withFindings?: boolean;
  text?: string;
  from?: number;
  to?: number;
}
