import { BehaviourRules } from '../../shared/ocpp/behaviour';
import type { EventStream } from './event-stream';

const scopes = new WeakMap<EventStream, BehaviourRules>();

/**
 * The behaviour rules of one event stream (one per engine): every connection on it shares the per-identity peer
 * models, so a station that reconnects is judged with what was seen before (a Reset, its transactions).
 */
export function behaviourOf(stream: EventStream): BehaviourRules {
  let rules = scopes.get(stream);
  if (!rules) {
    rules = new BehaviourRules();
    scopes.set(stream, rules);
  }
  return rules;
}
