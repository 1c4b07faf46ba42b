import { useState } from 'react';
import type { AppSettings, ConnectionStatus } from '../../../shared/api';
import { useStore, useStoreInstance } from '../state/hooks';

/** The endpoint's passwords as the dialog edits them: one `identity=password` a line. */
export function passwordsToText(p: Record<string, string>): string {
  return Object.entries(p)
    .map(([id, pw]) => `${id}=${pw}`)
    .join('\n');
}

export function textToPasswords(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return out;
}

/** Chargers a restart of the endpoint would disconnect (they are connected to it, directly or through the proxy). */
export function connectedToEndpoint(connections: ConnectionStatus[]): string[] {
  return connections
    .filter(
      (c) =>
        (c.role === 'endpoint' || c.role === 'proxy') && (c.state === 'open' || c.state === 'connecting'),
    )
    .map((c) => c.identity ?? c.id);
}

function restartQuestion(identities: string[]): string {
  const names =
    identities.slice(0, 5).join(', ') + (identities.length > 5 ? ` and ${identities.length - 5} more` : '');
  return `Restarting the endpoint disconnects ${identities.length} connected charger(s): ${names}. They will have to reconnect. Restart now?`;
}

/**
 * Saving the settings dialog: asks before a restart drops connected chargers, saves, (re)starts the endpoint when
 * asked, and closes the dialog once saved. `busy` while it runs.
 */
export function useSettingsSave(close: () => void) {
  const store = useStoreInstance();
  const running = useStore((s) => s.endpoint.running);
  const connections = useStore((s) => s.connections);
  const [busy, setBusy] = useState(false);
  const save = async (next: AppSettings, restart: boolean): Promise<void> => {
    if (restart && running) {
      const dropped = connectedToEndpoint(connections);
      if (dropped.length > 0 && !window.confirm(restartQuestion(dropped))) return;
    }
    setBusy(true);
    const saved = await store.run('Saving settings', () => store.api.saveSettings(next));
    if (saved) {
      store.set({ settings: saved });
      if (restart) {
        await store.run('Restarting the endpoint', async () => {
          if (running) await store.api.stopEndpoint();
          store.set({ endpoint: await store.api.startEndpoint(saved.endpoint) });
        });
      }
      close();
    }
    setBusy(false);
  };
  return { save, busy, running };
}
