/**
 * Connector status transitions the specifications allow (1.6 section 4.9's table; 2.0.1/2.1 G01's table), written
 * as: from-status -> the statuses it may go to. Staying in the same status is always allowed (a repeated report).
 * An unknown status name is not judged here: the schema check reports it.
 */
const ALLOWED_16: Readonly<Record<string, readonly string[]>> = {
  Available: ['Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Reserved', 'Unavailable', 'Faulted'],
  Preparing: ['Available', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Faulted'],
  Charging: ['Available', 'SuspendedEV', 'SuspendedEVSE', 'Finishing', 'Unavailable', 'Faulted'],
  SuspendedEV: ['Available', 'Charging', 'SuspendedEVSE', 'Finishing', 'Unavailable', 'Faulted'],
  SuspendedEVSE: ['Available', 'Charging', 'SuspendedEV', 'Finishing', 'Unavailable', 'Faulted'],
  Finishing: ['Available', 'Preparing', 'Unavailable', 'Faulted'],
  Reserved: ['Available', 'Preparing', 'Unavailable', 'Faulted'],
  Unavailable: ['Available', 'Preparing', 'Charging', 'SuspendedEV', 'SuspendedEVSE', 'Faulted'],
  Faulted: [
    'Available',
    'Preparing',
    'Charging',
    'SuspendedEV',
    'SuspendedEVSE',
    'Finishing',
    'Reserved',
    'Unavailable',
  ],
};

/** 1.6 connector 0 (the charge point as a whole) only takes these, freely. */
const CHARGE_POINT_16 = ['Available', 'Unavailable', 'Faulted'];

const ALLOWED_2X: Readonly<Record<string, readonly string[]>> = {
  Available: ['Occupied', 'Reserved', 'Unavailable', 'Faulted'],
  Occupied: ['Available', 'Unavailable', 'Faulted'],
  Reserved: ['Available', 'Occupied', 'Unavailable', 'Faulted'],
  Unavailable: ['Available', 'Occupied', 'Faulted'],
  Faulted: ['Available', 'Occupied', 'Reserved', 'Unavailable'],
};

/** Every status name either family knows, each kept once. */
const NAMES = new Map([...Object.keys(ALLOWED_16), ...Object.keys(ALLOWED_2X)].map((n) => [n, n]));

/** The known status name equal to `status` as one shared string (else `status` itself). */
export function sharedStatusName(status: string): string {
  return NAMES.get(status) ?? status;
}

export type TransitionVerdict = 'allowed' | 'not-allowed' | 'unknown';

export function statusTransition(
  family: '1.6' | '2.x',
  connector: number,
  from: string,
  to: string,
): TransitionVerdict {
  if (from === to) return 'allowed';
  if (family === '1.6' && connector === 0) {
    return CHARGE_POINT_16.includes(from) && CHARGE_POINT_16.includes(to) ? 'allowed' : 'unknown';
  }
  const table = family === '1.6' ? ALLOWED_16 : ALLOWED_2X;
  const next = Object.hasOwn(table, from) ? table[from] : undefined;
  if (!next || !Object.hasOwn(table, to)) return 'unknown';
  return next.includes(to) ? 'allowed' : 'not-allowed';
}
