/** Who sent a frame, in OCPP terms (not which side the tool plays). */
export type Sender = 'station' | 'csms';
