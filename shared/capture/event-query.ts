import type { Sender } from '../ocpp/sender';

/** What the one event filter (UI bar, `inspect --filter` and flags) selects; every field narrows, absent fields match all. */
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
  /** An expression in the filter language (shared/capture/filter.ts), ANDed with the fields above. */
  filter?: string;
  /** The day on which the filter's clock times (since:14:03) are taken: the first event's time. */
  filterBase?: number;
}
