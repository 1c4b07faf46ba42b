import type { OptionTable } from '../argv';

/** The filter options of `inspect` and `convert` (the UI's filter bar language and its shorthands), one table. */
export const QUERY_OPTIONS = {
  filter: {
    type: 'string',
    value: 'EXPR',
    help: `e.g. 'action:BootNotification from:cs', '(type:error OR is:findings) -cp:CP9',
'since:14:03 "vendor name"'; keys: action type from cp conn is code kind since until text;
AND (or a space), OR, NOT (or -), parentheses, "quoted text"; clock times are on the
capture's first day, in local time`,
  },
  connection: { type: 'string', value: 'ID', help: 'one connection id' },
  identity: { type: 'string', value: 'NAME', help: 'charge point identity (case-insensitive)' },
  action: {
    type: 'string',
    value: 'NAME',
    help: 'e.g. BootNotification (requests and the responses that answer them)',
  },
  type: { type: 'string', value: 'T', help: '2-6 or CALL, CALLRESULT, CALLERROR, CALLRESULTERROR, SEND' },
  sender: { type: 'string', value: 'S', help: 'station or csms' },
  findings: { type: 'boolean', help: 'only events with findings' },
  'with-findings': { type: 'boolean' },
  text: { type: 'string', value: 'TEXT', help: 'free text in frames, notes, errors and handshakes' },
  from: { type: 'string', value: 'T', help: 'from this time (ms since epoch or ISO 8601)' },
  to: { type: 'string', value: 'T', help: 'up to this time (ms since epoch or ISO 8601)' },
} as const satisfies OptionTable;
