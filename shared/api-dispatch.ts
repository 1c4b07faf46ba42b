import type { EngineApi } from './api';
import type { ApiReply } from './api-bridge';
import { failureOf } from './api-bridge';
import { validateArgs } from './api-validate';

/**
 * One call from an untrusted caller (IPC or bridge) to the engine: the method must be in the contract and the
 * arguments must pass validation before the engine sees them. Never throws; every outcome is a reply.
 */
export async function dispatchCall(engine: EngineApi, method: unknown, args: unknown): Promise<ApiReply> {
  const check = validateArgs(method, args);
  if (!check.ok) return { ok: false, error: { code: check.code, message: check.error } };
  try {
    const fn = engine[method as keyof EngineApi] as (...a: unknown[]) => Promise<unknown>;
    const result = await fn.apply(engine, args as unknown[]);
    // undefined does not survive JSON; null does, and the client maps it back.
    return { ok: true, result: result === undefined ? null : result };
  } catch (error) {
    return { ok: false, error: failureOf(error) };
  }
}
