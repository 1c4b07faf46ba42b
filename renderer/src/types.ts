// The event types, re-exported once: the renderer's lint forbids module paths ending in `events` (it guards against
// node:events), and shared/capture/events.ts is the one legitimate exception.
// eslint-disable-next-line no-restricted-imports
export type * from '../../shared/capture/events';
