import type { FrameObserverFactory } from './frame-observer';

/**
 * The behaviour rules every analysis pipeline runs by default (live connections, imports, replay, CLI `send`): one
 * place to plug a rule in (shared/ocpp/behaviour). Empty until rules exist.
 */
export const DEFAULT_OBSERVERS: readonly FrameObserverFactory[] = [];
