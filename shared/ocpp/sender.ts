/** Who sent a frame, in OCPP terms (not which side the tool plays). */
export type Sender = 'station' | 'csms';

/** The sender as a finding's or an error's sentence names it. */
export const senderPhrase = (s: Sender): string => (s === 'station' ? 'the charging station' : 'the CSMS');
