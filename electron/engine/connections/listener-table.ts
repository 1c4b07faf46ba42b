import type { EventEmitter } from 'node:events';

/**
 * Node gives each EventEmitter its listener table as a prototype-less object literal, which V8 keeps as a hash table
 * (a dictionary of about 160-260 bytes for a handful of events). Ten thousand connections each with a few listeners
 * on themselves and on their socket pay that twice. A table made by a constructor whose prototype has no properties
 * reads the same to EventEmitter (own properties only, nothing inherited) and holds its few listeners in the object
 * itself (about 60 bytes).
 *
 * Returns a function that gives an emitter without listeners such a table; one per kind of emitter, so that each
 * kind's tables share a shape sized for its own listeners.
 */
export function compactListenerTables(): (emitter: EventEmitter) => void {
  function ListenerTable(): void {}
  ListenerTable.prototype = Object.create(null) as object;
  return (emitter) => {
    const e = emitter as unknown as { _events?: object; _eventsCount?: number };
    // Only a table with nothing in it is replaced (and only where Node keeps one where we expect it).
    if (e._eventsCount !== 0 || typeof e._events !== 'object') return;
    e._events = new (ListenerTable as unknown as new () => object)();
  };
}
