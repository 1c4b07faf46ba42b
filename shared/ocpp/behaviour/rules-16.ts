import type { Sender } from '../sender';
import type { ObservedFrame } from '../frame-observer';
import type { JsonObject } from '../json';
import type { ConnectionObserver, FamilyRules, PendingCall } from './connection-observer';
import type { Transaction } from './peer-model';
import { arr, idOf, num, obj, str, time } from './read';
import { statusTransition } from './status-transitions';
import { checkMeter, checkStatus, configurationRead, configurationSet } from './shared-rules';

/** OCPP 1.6 (with the security extension): integer transaction ids the CSMS assigns, idTags, configuration keys. */
export const RULES_16: FamilyRules = {
  stationCalls: new Set(['StartTransaction', 'Authorize']),
  csmsCalls: new Set(['RemoteStartTransaction', 'ChangeConfiguration', 'GetConfiguration']),

  request(o: ConnectionObserver, sender: Sender, action: string, p: JsonObject, f: ObservedFrame): void {
    if (sender !== 'station') return;
    switch (action) {
      case 'StatusNotification': {
        const connector = num(p, 'connectorId');
        const status = str(p, 'status');
        if (connector === undefined || status === undefined) return;
        checkStatus(o, connector, `connector ${connector}`, status, f.seq, (from, to) =>
          statusTransition('1.6', connector, from, to),
        );
        o.connectorReacted(connector);
        return;
      }
      case 'StartTransaction': {
        const tag = str(p, 'idTag');
        const rejectedAt = tag === undefined ? undefined : o.peer.rejected.get(tag);
        if (rejectedAt !== undefined) {
          o.find(
            'idtag-used-after-rejected',
            `StartTransaction with idTag "${tag}", which the CSMS rejected (seq ${rejectedAt})`,
            [rejectedAt],
          );
        }
        const connector = num(p, 'connectorId');
        o.transactionStarted((r) => r.connector === undefined || r.connector === connector);
        return;
      }
      case 'StopTransaction': {
        const id = idOf(p, 'transactionId');
        if (id === undefined) return;
        const book = o.peer.transactions;
        let tx = book.get(id);
        if (tx?.endedSeq !== undefined) {
          o.find(
            'transaction-stopped-twice',
            `StopTransaction for transaction ${id}, which was already stopped (seq ${tx.endedSeq})`,
            [tx.endedSeq],
          );
          return;
        }
        if (!tx) {
          if (o.peer.watchedSinceBoot(time(p, 'timestamp'), o.options.clockSkewMs)) {
            o.find(
              'transaction-unknown',
              `StopTransaction for transaction ${id}, which never started since the station booted`,
            );
          }
          tx = book.start(id, undefined);
        }
        checkMeter(o, tx, p.transactionData, f.seq, num(p, 'meterStop'));
        book.end(tx, f.seq);
        o.transactionEnded(f.t);
        return;
      }
      case 'MeterValues': {
        const raw = p.transactionId;
        if (typeof raw !== 'number') return;
        const id = String(raw);
        const tx = known(o, id, p, f);
        if (tx) checkMeter(o, tx, p.meterValue, f.seq);
        return;
      }
    }
  },

  response(o: ConnectionObserver, call: PendingCall, p: JsonObject, f: ObservedFrame): void {
    const q = call.payload;
    switch (call.action) {
      case 'StartTransaction': {
        const id = idOf(p, 'transactionId');
        if (id !== undefined) {
          const tx = o.peer.transactions.start(id, call.seq);
          checkMeter(o, tx, undefined, call.seq, num(q, 'meterStart'));
        }
        rejection(o, str(q, 'idTag'), str(obj(p.idTagInfo), 'status'), f.seq);
        return;
      }
      case 'Authorize':
        rejection(o, str(q, 'idTag'), str(obj(p.idTagInfo), 'status'), f.seq);
        return;
      case 'RemoteStartTransaction': {
        if (str(p, 'status') !== 'Accepted') return;
        const tag = str(q, 'idTag');
        // The CSMS started it with this idTag: it is authorised now.
        if (tag !== undefined) o.peer.rejected.delete(tag);
        const r: { seq: number; connector?: number } = { seq: call.seq };
        const connector = num(q, 'connectorId');
        if (connector !== undefined) r.connector = connector;
        o.armRemoteStart(r, f.t);
        return;
      }
      case 'ChangeConfiguration': {
        const key = str(q, 'key');
        const value = str(q, 'value');
        const status = str(p, 'status');
        if (key === undefined || value === undefined || status !== 'Accepted') return;
        configurationSet(o, key, value, call.seq);
        if (key === 'HeartbeatInterval') o.heartbeatInterval(Number(value));
        return;
      }
      case 'GetConfiguration': {
        for (const item of arr(p, 'configurationKey') ?? []) {
          const c = obj(item);
          const key = str(c, 'key');
          if (key === undefined) continue;
          const readonly = c?.readonly === true;
          const value = str(c, 'value');
          configurationRead(o, key, value, readonly, f.seq);
          if (key === 'HeartbeatInterval' && value !== undefined) o.heartbeatInterval(Number(value));
        }
        return;
      }
    }
  },
};

function firstTimestamp(p: JsonObject): number | undefined {
  const first = arr(p, 'meterValue')?.[0];
  return time(obj(first), 'timestamp');
}

/** Records an idTag's answer: anything but Accepted is a rejection; Accepted clears one. */
function rejection(
  o: ConnectionObserver,
  tag: string | undefined,
  status: string | undefined,
  seq: number,
): void {
  if (tag === undefined || status === undefined) return;
  if (status === 'Accepted') o.peer.rejected.delete(tag);
  else o.peer.rejected.set(tag, seq);
}

/**
 * The open transaction a MeterValues names, or undefined after a finding: ended already, or never started while
 * watched. An unknown one becomes known (once flagged, its later values are judged against each other).
 */
function known(o: ConnectionObserver, id: string, p: JsonObject, f: ObservedFrame): Transaction | undefined {
  const what = 'MeterValues';
  const book = o.peer.transactions;
  const tx = book.get(id);
  if (tx?.endedSeq !== undefined) {
    o.find(
      'transaction-after-stop',
      `${what} for transaction ${id}, which was stopped (seq ${tx.endedSeq})`,
      [tx.endedSeq],
    );
    return undefined;
  }
  if (tx) return tx;
  // The time is read only now: parsing a date on every meter frame would be most of the rules' cost.
  if (o.peer.watchedSinceBoot(firstTimestamp(p), o.options.clockSkewMs)) {
    o.find(
      'transaction-unknown',
      `${what} for transaction ${id}, which never started since the station booted`,
    );
  }
  return book.start(id, f.seq);
}
