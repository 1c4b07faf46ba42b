import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { compactListenerTables } from '../../../../electron/engine/connections/listener-table';

const compact = compactListenerTables();

describe('a compact listener table', () => {
  it('behaves as Node’s own: on, once, off, emit, listener counts and event names', () => {
    const e = new EventEmitter();
    compact(e);
    const seen: string[] = [];
    const a = (x: string): void => void seen.push(`a${x}`);
    const b = (x: string): void => void seen.push(`b${x}`);
    e.on('state', a);
    e.once('state', b);
    e.on('closed', a);
    expect(e.eventNames()).toEqual(['state', 'closed']);
    expect(e.listenerCount('state')).toBe(2);
    expect(e.emit('state', '1')).toBe(true);
    expect(e.emit('state', '2')).toBe(true);
    expect(seen).toEqual(['a1', 'b1', 'a2']);
    e.off('state', a);
    expect(e.emit('state', '3')).toBe(false);
    expect(e.listenerCount('state')).toBe(0);
    e.removeAllListeners();
    expect(e.emit('closed', '4')).toBe(false);
    expect(seen).toEqual(['a1', 'b1', 'a2']);
  });

  it('inherits nothing: names of Object.prototype are no listeners, and an unheard error still throws', () => {
    const e = new EventEmitter();
    compact(e);
    expect(e.emit('toString')).toBe(false);
    expect(e.emit('constructor')).toBe(false);
    expect(e.listenerCount('hasOwnProperty')).toBe(0);
    expect(() => e.emit('error', new Error('boom'))).toThrow('boom');
  });

  it('never replaces a table that already holds listeners', () => {
    const e = new EventEmitter();
    const seen: number[] = [];
    e.on('x', () => seen.push(1));
    compact(e);
    e.emit('x');
    expect(seen).toEqual([1]);
  });
});
