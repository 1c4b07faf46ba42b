import type { OcppVersion } from '../../../shared/ocpp/versions';

/**
 * The minimal transport a replay needs: send exact text, hear the peer's frames, know when it closes. Adapters exist
 * for the engine's Connection (station and endpoint); tests may plug any WebSocket in.
 */
export interface ReplayLink {
  /** The live connection's id, when the link is an engine connection (for notes on the stream). */
  readonly id?: string;
  readonly version: OcppVersion | undefined;
  /** Sends exactly `text`; throws when the link is not open. */
  send(text: string): void;
  /** Every text frame the live peer sends, in order. Returns an unsubscribe function. */
  onMessage(listener: (text: string) => void): () => void;
  onClose(listener: () => void): () => void;
  readonly open: boolean;
  /** Closes the link if the replay opened it (a station); leaves a charger on the endpoint connected. */
  close(): Promise<void>;
}
