import type { ConnectionStatus, EngineApi } from '../../../../shared/api';
import type { ScopeEvent } from '../../../../shared/capture/events';
import { compileCapture } from '../../../../shared/scenario/compile-capture';
import type { ScenarioRole } from '../../../../shared/scenario/scenario-types';

/** Events read from one connection at most: a scenario of more steps than the compiler keeps is no use anyway. */
const MAX_EVENTS = 10_000;
const PAGE = 1000;

/** The side the tool played on a connection, which is the side it plays when the scenario runs. */
export function roleOf(c: ConnectionStatus): ScenarioRole {
  return c.role === 'station' ? 'station' : 'csms';
}

/**
 * A scenario (as editable JSON text) from a connection's recorded frames: what the tool sent becomes `send` steps,
 * what the peer sent `expect` steps; ids the peer assigned are captured, timestamps become `{{now}}`
 * (shared/scenario/compile-capture.ts). Resolves with the text, or the reason it cannot.
 */
export async function scenarioFromConnection(
  api: Pick<EngineApi, 'queryEvents'>,
  sourceId: string,
  c: ConnectionStatus,
): Promise<{ name: string; text: string } | { error: string }> {
  const events: ScopeEvent[] = [];
  for (let offset = 0; offset < MAX_EVENTS; offset += PAGE) {
    const page = await api.queryEvents(sourceId, { connection: c.id }, offset, PAGE);
    events.push(...page.events);
    if (page.events.length < PAGE || events.length >= page.total) break;
  }
  const name = `recorded-${c.identity || c.id}`.replace(/[^A-Za-z0-9._-]+/g, '-');
  const scenario = compileCapture(events, {
    role: roleOf(c),
    connection: c.id,
    name,
    ...(c.version ? { version: c.version } : {}),
  });
  if ('error' in scenario) return scenario;
  return { name: `${name}.json`, text: `${JSON.stringify(scenario, null, 2)}\n` };
}
