import type { MessageTypeId } from './frame-types';

/** The parsed view of a frame's text; the text itself is the truth. */
export interface FrameSummary {
  type: MessageTypeId;
  id: string;
  /** For CALL and SEND the action; for responses the action of the request they answer, when known. */
  action?: string;
  /** For CALLERROR and CALLRESULTERROR. */
  errorCode?: string;
}

/** How a frame pairs with its partner (request <-> response). */
export interface PairInfo {
  /** seq of the partner event (the request for a response, the response for a request once it came). */
  partnerSeq: number;
  /** Round-trip time, ms, on the response. */
  rttMs?: number;
}
