import type { Sender } from '../sender';
import type { ObservedFrame } from '../frame-observer';
import type { JsonObject, JsonValue } from '../json';
import type { ConnectionObserver, FamilyRules, PendingCall } from './connection-observer';
import { arr, idOf, num, obj, str, time } from './read';
import { checkMeter, checkStatus, configurationRead, configurationSet } from './shared-rules';
import { statusTransition } from './status-transitions';

/** 2.0.1 and 2.1: TransactionEvent with station-made ids and seqNo, idTokens, device-model variables. */
export const RULES_2X: FamilyRules = {
  stationCalls: new Set(['TransactionEvent', 'Authorize']),
  csmsCalls: new Set(['RequestStartTransaction', 'SetVariables', 'GetVariables']),

  request(o: ConnectionObserver, sender: Sender, action: string, p: JsonObject, f: ObservedFrame): void {
    if (sender !== 'station') return;
    if (action === 'StatusNotification') {
      const evse = num(p, 'evseId');
      const connector = num(p, 'connectorId');
      const status = str(p, 'connectorStatus');
      if (evse === undefined || connector === undefined || status === undefined) return;
      checkStatus(o, evse * 65536 + connector, `EVSE ${evse} connector ${connector}`, status, f.seq, (a, b) =>
        statusTransition('2.x', connector, a, b),
      );
      o.connectorReacted(evse);
    } else if (action === 'TransactionEvent') {
      transactionEvent(o, p, f);
    }
  },

  response(o: ConnectionObserver, call: PendingCall, p: JsonObject, f: ObservedFrame): void {
    const q = call.payload;
    switch (call.action) {
      case 'Authorize':
      case 'TransactionEvent': {
        const token = tokenKey(q.idToken);
        const status = str(obj(p.idTokenInfo), 'status');
        if (token === undefined || status === undefined) return;
        if (status === 'Accepted') o.peer.rejected.delete(token);
        else o.peer.rejected.set(token, f.seq);
        return;
      }
      case 'RequestStartTransaction': {
        if (str(p, 'status') !== 'Accepted') return;
        const token = tokenKey(q.idToken);
        if (token !== undefined) o.peer.rejected.delete(token);
        const r: { seq: number; connector?: number; remoteStartId?: number; transactionId?: string } = {
          seq: call.seq,
        };
        const evse = num(q, 'evseId');
        if (evse !== undefined) r.connector = evse;
        const remoteStartId = num(q, 'remoteStartId');
        if (remoteStartId !== undefined) r.remoteStartId = remoteStartId;
        const txId = idOf(p, 'transactionId');
        if (txId !== undefined) r.transactionId = txId;
        o.armRemoteStart(r, f.t);
        return;
      }
      case 'SetVariables': {
        for (const item of arr(p, 'setVariableResult') ?? []) {
          const r = obj(item);
          if (str(r, 'attributeStatus') !== 'Accepted') continue;
          const key = variableKey(r);
          if (key === undefined) continue;
          const value = requestedValue(arr(q, 'setVariableData'), key);
          if (value === undefined) continue;
          configurationSet(o, key, value, call.seq);
          if (key === HEARTBEAT_KEY) o.heartbeatInterval(Number(value));
        }
        return;
      }
      case 'GetVariables': {
        for (const item of arr(p, 'getVariableResult') ?? []) {
          const r = obj(item);
          if (str(r, 'attributeStatus') !== 'Accepted') continue;
          const key = variableKey(r);
          const value = str(r, 'attributeValue');
          if (key === undefined) continue;
          configurationRead(o, key, value, false, f.seq);
          if (key === HEARTBEAT_KEY && value !== undefined) o.heartbeatInterval(Number(value));
        }
        return;
      }
    }
  },
};

const HEARTBEAT_KEY = 'OCPPCommCtrlr/HeartbeatInterval/Actual';

function transactionEvent(o: ConnectionObserver, p: JsonObject, f: ObservedFrame): void {
  // Named property reads: this runs for every transaction event.
  const info = obj(p.transactionInfo);
  const rawId = info?.transactionId;
  const type = p.eventType;
  if (typeof rawId !== 'string' || typeof type !== 'string') return;
  const id = rawId;
  const trigger = typeof p.triggerReason === 'string' ? p.triggerReason : undefined;
  const seqNo = typeof p.seqNo === 'number' ? p.seqNo : undefined;
  const remoteStartId = typeof info?.remoteStartId === 'number' ? info.remoteStartId : undefined;
  const book = o.peer.transactions;
  let tx = book.get(id);

  const token = p.idToken === undefined ? undefined : tokenKey(p.idToken);
  if (token !== undefined && (type === 'Started' || trigger === 'Authorized')) {
    const rejectedAt = o.peer.rejected.get(token);
    if (rejectedAt !== undefined) {
      o.find(
        'idtag-used-after-rejected',
        `TransactionEvent ${type} authorised by idToken ${token}, which the CSMS rejected (seq ${rejectedAt})`,
        [rejectedAt],
      );
    }
  }
  if (type === 'Started' || remoteStartId !== undefined || trigger === 'RemoteStart') {
    o.transactionStarted(
      (r) =>
        (r.remoteStartId !== undefined && r.remoteStartId === remoteStartId) ||
        (r.transactionId !== undefined && r.transactionId === id) ||
        (trigger === 'RemoteStart' && r.remoteStartId === undefined),
    );
  }

  if (tx?.endedSeq !== undefined) {
    if (type === 'Ended') {
      o.find(
        'transaction-stopped-twice',
        `TransactionEvent Ended for transaction ${id}, which already ended (seq ${tx.endedSeq})`,
        [tx.endedSeq],
      );
    } else {
      o.find(
        'transaction-after-stop',
        `TransactionEvent ${type} for transaction ${id}, which already ended (seq ${tx.endedSeq})`,
        [tx.endedSeq],
      );
    }
    return;
  }
  if (!tx) {
    if (type !== 'Started' && o.peer.watchedSinceBoot(time(p, 'timestamp'), o.options.clockSkewMs)) {
      o.find(
        'transaction-unknown',
        `TransactionEvent ${type} for transaction ${id}, which never started since the station booted`,
      );
    }
    tx = book.start(id, f.seq);
  } else if (seqNo !== undefined && tx.seqNo !== undefined) {
    if (seqNo <= tx.seqNo) {
      o.find(
        'seqno-repeat',
        `TransactionEvent seqNo ${seqNo} for transaction ${id} after seqNo ${tx.seqNo} (seq ${tx.seqNoSeq}): sequence numbers go up by one`,
        tx.seqNoSeq !== undefined ? [tx.seqNoSeq] : undefined,
      );
    } else if (seqNo > tx.seqNo + 1) {
      o.find(
        'seqno-gap',
        `TransactionEvent seqNo ${seqNo} for transaction ${id} follows seqNo ${tx.seqNo} (seq ${tx.seqNoSeq}): ${seqNo - tx.seqNo - 1} missing`,
        tx.seqNoSeq !== undefined ? [tx.seqNoSeq] : undefined,
      );
    }
  }
  if (seqNo !== undefined && (tx.seqNo === undefined || seqNo > tx.seqNo)) {
    tx.seqNo = seqNo;
    tx.seqNoSeq = f.seq;
  }
  if (p.meterValue !== undefined) checkMeter(o, tx, p.meterValue, f.seq);
  if (type === 'Ended') {
    book.end(tx, f.seq);
    o.transactionEnded(f.t);
  }
}

/** `type:idToken`, the identity of a 2.x token (the same string may be an RFID and an eMAID). */
function tokenKey(v: JsonValue | undefined): string | undefined {
  const t = obj(v);
  const id = str(t, 'idToken');
  return id === undefined ? undefined : `${str(t, 'type') ?? ''}:${id}`;
}

/** component[.instance][@evse[.connector]]/variable[.instance]/attributeType: one device-model value. */
function variableKey(r: JsonObject | undefined): string | undefined {
  const c = obj(r?.component);
  const v = obj(r?.variable);
  const cn = str(c, 'name');
  const vn = str(v, 'name');
  if (cn === undefined || vn === undefined) return undefined;
  const ci = str(c, 'instance');
  const evse = obj(c?.evse);
  const ei = num(evse, 'id');
  const ec = num(evse, 'connectorId');
  const vi = str(v, 'instance');
  const comp = `${cn}${ci !== undefined ? `.${ci}` : ''}${ei !== undefined ? `@${ei}${ec !== undefined ? `.${ec}` : ''}` : ''}`;
  return `${comp}/${vn}${vi !== undefined ? `.${vi}` : ''}/${str(r, 'attributeType') ?? 'Actual'}`;
}

function requestedValue(data: JsonValue[] | undefined, key: string): string | undefined {
  for (const item of data ?? []) {
    const d = obj(item);
    if (variableKey(d) === key) return str(d, 'attributeValue');
  }
  return undefined;
}
