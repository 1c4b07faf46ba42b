import { BehaviourRules } from './behaviour';
import type { FrameObserverFactory } from './frame-observer';

/**
 * The behaviour rules every analysis pipeline runs by default (live connections, imports, replay, CLI `send`): one
 * place to plug a rule in (shared/ocpp/behaviour). Each call makes a fresh scope: observers made by one list share
 * their per-identity peer models (a Reset on one connection, the BootNotification on the next), so an engine takes
 * one list for all its connections and an import one list of its own.
 */
export function defaultObservers(): readonly FrameObserverFactory[] {
  return [new BehaviourRules().observerFor];
}
