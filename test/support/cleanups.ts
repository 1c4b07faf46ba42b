import { afterEach } from 'vitest';

/**
 * A list of undo steps for the tests of one file, run newest first after each test (servers stopped, sockets closed,
 * folders removed), then emptied. Push to it; pass it to harnesses that take one.
 */
export function cleanupsAfterEach(): (() => Promise<unknown>)[] {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return cleanups;
}
