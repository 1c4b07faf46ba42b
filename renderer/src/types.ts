// The event types, re-exported once so renderer modules import them from one short path.
export type * from '../../shared/capture/events';
