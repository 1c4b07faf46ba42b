import type { JsonObject } from '../../ocpp/json';
import type { Scenario, ScenarioCase } from '../scenario-types';
import {
  callError,
  is,
  oneOf,
  peerCall,
  prompt,
  result,
  send,
  sendFrame,
  sendRaw,
  status,
} from './step-builders';

/**
 * charger-core-2.0.1: the tool is the CSMS, the charging station under test connects to it. Cases are tagged with
 * the OCTT 2.0.1 test case id they correspond to where one exists (ids only). Cases with a prompt need a person.
 */

function variable(component: string, name: string, instance?: string): JsonObject {
  return { component: { name: component }, variable: { name, ...(instance ? { instance } : {}) } };
}

const TRIGGERS: { message: string; octt: string; evse?: JsonObject }[] = [
  { message: 'Heartbeat', octt: 'TC_F_20_CS' },
  { message: 'StatusNotification', octt: 'TC_F_23_CS', evse: { id: 1, connectorId: 1 } },
  { message: 'MeterValues', octt: 'TC_F_11_CS', evse: { id: 1 } },
  { message: 'FirmwareStatusNotification', octt: 'TC_F_18_CS' },
  { message: 'LogStatusNotification', octt: 'TC_F_15_CS' },
];

function trigger(t: (typeof TRIGGERS)[number]): ScenarioCase {
  return {
    id: `trigger-${t.message.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}`,
    title: `TriggerMessage ${t.message}: Accepted, then the ${t.message} comes`,
    octt: t.octt,
    steps: [
      send('TriggerMessage', { requestedMessage: t.message, ...(t.evse ? { evse: t.evse } : {}) }),
      status('Accepted'),
      peerCall(t.message),
    ],
  };
}

export const CHARGER_CORE_201: Scenario = {
  name: 'charger-core-2.0.1',
  description: 'Core functions of an OCPP 2.0.1 charging station, with the tool as its CSMS.',
  version: '2.0.1',
  role: 'csms',
  answers: {
    BootNotification: { payload: { status: 'Accepted', currentTime: '{{now}}', interval: 300 } },
  },
  cases: [
    {
      id: 'boot',
      title: 'BootNotification with model and vendor, then a StatusNotification',
      octt: 'TC_B_01_CS',
      description:
        'Connect (or restart) the station: it sends BootNotification (answered Accepted) and its connector statuses.',
      timeoutSec: 120,
      steps: [
        peerCall('BootNotification', {
          '/chargingStation/model': { type: 'string' },
          '/chargingStation/vendorName': { type: 'string' },
          '/reason': { type: 'string' },
        }),
        peerCall('StatusNotification', {
          '/evseId': { type: 'integer', min: 0 },
          '/connectorId': { type: 'integer', min: 0 },
          '/connectorStatus': oneOf('Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'),
        }),
      ],
    },
    {
      id: 'heartbeat',
      title: 'Heartbeat at the interval set with SetVariables OCPPCommCtrlr.HeartbeatInterval',
      steps: [
        send('GetVariables', { getVariableData: [variable('OCPPCommCtrlr', 'HeartbeatInterval')] }),
        result(
          { '/getVariableResult/0/attributeStatus': is('Accepted') },
          { capture: { interval: '/getVariableResult/0/attributeValue' } },
        ),
        send('SetVariables', {
          setVariableData: [{ attributeValue: '2', ...variable('OCPPCommCtrlr', 'HeartbeatInterval') }],
        }),
        result({ '/setVariableResult/0/attributeStatus': is('Accepted') }),
        peerCall('Heartbeat', {}, { within: 10 }),
        send('SetVariables', {
          setVariableData: [
            { attributeValue: '{{interval}}', ...variable('OCPPCommCtrlr', 'HeartbeatInterval') },
          ],
        }),
        result({ '/setVariableResult/0/attributeStatus': is('Accepted') }),
      ],
    },
    {
      id: 'get-variables',
      title: 'GetVariables of a known variable is Accepted with a value',
      octt: 'TC_B_06_CS',
      steps: [
        send('GetVariables', { getVariableData: [variable('OCPPCommCtrlr', 'HeartbeatInterval')] }),
        result({
          '/getVariableResult/0/attributeStatus': is('Accepted'),
          '/getVariableResult/0/attributeValue': { type: 'string' },
        }),
      ],
    },
    {
      id: 'get-variables-unknown-component',
      title: 'GetVariables of an unknown component is UnknownComponent',
      octt: 'TC_B_32_CS',
      steps: [
        send('GetVariables', {
          getVariableData: [variable('OcppScopeUnknownComponent', 'HeartbeatInterval')],
        }),
        result({ '/getVariableResult/0/attributeStatus': is('UnknownComponent') }),
      ],
    },
    {
      id: 'get-variables-unknown-variable',
      title: 'GetVariables of an unknown variable is UnknownVariable',
      octt: 'TC_B_33_CS',
      steps: [
        send('GetVariables', { getVariableData: [variable('OCPPCommCtrlr', 'OcppScopeUnknownVariable')] }),
        result({ '/getVariableResult/0/attributeStatus': is('UnknownVariable') }),
      ],
    },
    {
      id: 'set-variables',
      title: 'SetVariables of a writable variable is Accepted',
      octt: 'TC_B_09_CS',
      steps: [
        send('GetVariables', { getVariableData: [variable('OCPPCommCtrlr', 'HeartbeatInterval')] }),
        result({}, { capture: { interval: '/getVariableResult/0/attributeValue' } }),
        send('SetVariables', {
          setVariableData: [
            { attributeValue: '{{interval}}', ...variable('OCPPCommCtrlr', 'HeartbeatInterval') },
          ],
        }),
        result({ '/setVariableResult/0/attributeStatus': is('Accepted') }),
      ],
    },
    {
      id: 'set-variables-unknown-variable',
      title: 'SetVariables of an unknown variable is UnknownVariable',
      octt: 'TC_B_36_CS',
      steps: [
        send('SetVariables', {
          setVariableData: [
            { attributeValue: '1', ...variable('OCPPCommCtrlr', 'OcppScopeUnknownVariable') },
          ],
        }),
        result({ '/setVariableResult/0/attributeStatus': is('UnknownVariable') }),
      ],
    },
    {
      id: 'set-variables-read-only',
      title:
        'SetVariables of a read-only variable (DeviceDataCtrlr.ItemsPerMessage[GetVariables]) is Rejected',
      octt: 'TC_B_39_CS',
      steps: [
        send('SetVariables', {
          setVariableData: [
            { attributeValue: '1', ...variable('DeviceDataCtrlr', 'ItemsPerMessage', 'GetVariables') },
          ],
        }),
        result({ '/setVariableResult/0/attributeStatus': is('Rejected') }),
      ],
    },
    {
      id: 'reset-on-idle',
      title:
        'Reset OnIdle without a transaction: Accepted, the station reconnects and boots with RemoteReset',
      octt: 'TC_B_20_CS',
      timeoutSec: 120,
      steps: [
        send('Reset', { type: 'OnIdle' }),
        status('Accepted'),
        { step: 'reconnect' },
        peerCall('BootNotification', { '/reason': is('RemoteReset') }),
      ],
    },
    {
      id: 'reset-immediate',
      title: 'Reset Immediate: Accepted, the station reconnects and boots with RemoteReset',
      timeoutSec: 180,
      steps: [
        send('Reset', { type: 'Immediate' }),
        status('Accepted'),
        { step: 'reconnect' },
        peerCall('BootNotification', { '/reason': is('RemoteReset') }),
      ],
    },
    {
      id: 'trigger-boot-notification',
      title: 'TriggerMessage BootNotification after an accepted boot is Rejected',
      octt: 'TC_F_26_CS',
      steps: [send('TriggerMessage', { requestedMessage: 'BootNotification' }), status('Rejected')],
    },
    ...TRIGGERS.map(trigger),
    {
      id: 'unlock-connector',
      title: 'UnlockConnector on EVSE 1 connector 1 (no transaction) is Unlocked',
      octt: 'TC_F_06_CS',
      steps: [send('UnlockConnector', { evseId: 1, connectorId: 1 }), status('Unlocked')],
    },
    {
      id: 'unlock-unknown-connector',
      title: 'UnlockConnector on an EVSE that does not exist is UnknownConnector',
      octt: 'TC_F_10_CS',
      steps: [send('UnlockConnector', { evseId: 99, connectorId: 1 }), status('UnknownConnector')],
    },
    {
      id: 'availability-inoperative',
      title: 'ChangeAvailability Inoperative on EVSE 1: Accepted, then StatusNotification Unavailable',
      octt: 'TC_G_03_CS',
      steps: [
        send('ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } }),
        status('Accepted'),
        peerCall('StatusNotification', { '/evseId': is(1), '/connectorStatus': is('Unavailable') }),
      ],
    },
    {
      id: 'availability-operative',
      title: 'ChangeAvailability Operative on EVSE 1: Accepted, then StatusNotification Available',
      octt: 'TC_G_04_CS',
      steps: [
        send('ChangeAvailability', { operationalStatus: 'Operative', evse: { id: 1 } }),
        status('Accepted'),
        peerCall('StatusNotification', { '/evseId': is(1), '/connectorStatus': is('Available') }),
      ],
    },
    {
      id: 'data-transfer-unknown-vendor',
      title: 'DataTransfer for an unknown vendor is UnknownVendorId',
      steps: [
        send('DataTransfer', { vendorId: 'org.ocpp-scope.unknown-vendor', messageId: 'check' }),
        status('UnknownVendorId'),
      ],
    },
    {
      id: 'remote-stop-unknown-transaction',
      title: 'RequestStopTransaction of a transaction that does not exist is Rejected',
      octt: 'TC_F_09_CS',
      steps: [
        send('RequestStopTransaction', { transactionId: 'ocpp-scope-no-such-transaction' }),
        status('Rejected'),
      ],
    },
    {
      id: 'unknown-action',
      title: 'A CALL with an unknown action gets CALLERROR NotImplemented',
      steps: [sendFrame([2, '{{uuid}}', 'OcppScopeUnknownAction', {}]), callError(['NotImplemented'])],
    },
    {
      id: 'malformed-json',
      title: 'A frame that is not JSON gets a CALLERROR (RpcFrameworkError)',
      steps: [
        sendRaw(
          '[2,"scope-bad-json","GetVariables",{"getVariableData":[',
          'send a frame cut short (not JSON)',
        ),
        callError(['RpcFrameworkError', 'FormatViolation', 'ProtocolError'], {
          answering: 'any',
        }),
      ],
    },
    {
      id: 'malformed-payload',
      title: 'A payload outside the PDU (unknown enum value) gets FormatViolation',
      steps: [
        send('TriggerMessage', { requestedMessage: 'NoSuchMessage' }),
        callError(['FormatViolation', 'PropertyConstraintViolation']),
      ],
    },
    {
      id: 'wrong-payload-type',
      title: 'A field of the wrong type gets TypeConstraintViolation',
      steps: [
        send('GetVariables', { getVariableData: 'OCPPCommCtrlr.HeartbeatInterval' }),
        callError(['TypeConstraintViolation']),
      ],
    },
    {
      id: 'missing-required-field',
      title: 'A missing required field gets OccurrenceConstraintViolation',
      steps: [send('GetVariables', {}), callError(['OccurrenceConstraintViolation'])],
    },
    {
      id: 'duplicate-message-id',
      title: 'A second CALL reusing a message id is still answered',
      steps: [
        send(
          'GetVariables',
          { getVariableData: [variable('OCPPCommCtrlr', 'HeartbeatInterval')] },
          { messageId: '{{runId}}' },
        ),
        { step: 'expect', messageType: ['CALLRESULT', 'CALLERROR'] },
        send(
          'GetVariables',
          { getVariableData: [variable('OCPPCommCtrlr', 'HeartbeatInterval')] },
          { messageId: '{{runId}}' },
        ),
        { step: 'expect', messageType: ['CALLRESULT', 'CALLERROR'] },
      ],
    },
    {
      id: 'call-while-in-flight',
      title: 'Two CALLs sent without waiting are both answered',
      steps: [
        send(
          'GetVariables',
          { getVariableData: [variable('OCPPCommCtrlr', 'HeartbeatInterval')] },
          { name: 'first' },
        ),
        send(
          'GetVariables',
          { getVariableData: [variable('OCPPCommCtrlr', 'OfflineThreshold')] },
          { name: 'second' },
        ),
        { step: 'expect', messageType: ['CALLRESULT', 'CALLERROR'], answering: 'first' },
        { step: 'expect', messageType: ['CALLRESULT', 'CALLERROR'], answering: 'second' },
      ],
    },
    {
      id: 'local-start-stop',
      title: 'Local start and stop: card, cable, TransactionEvent Started and Ended',
      octt: 'TC_E_04_CS',
      timeoutSec: 120,
      steps: [
        prompt('Present a valid card (RFID) to the charging station.'),
        peerCall('Authorize', { '/idToken/idToken': { type: 'string' } }),
        prompt('Plug the cable into EVSE 1 (and into a car or a tester).'),
        peerCall(
          'TransactionEvent',
          { '/eventType': is('Started') },
          { capture: { txId: '/transactionInfo/transactionId' } },
        ),
        prompt('Stop the charge: present the same card again, then unplug the cable.'),
        peerCall('TransactionEvent', {
          '/eventType': is('Ended'),
          '/transactionInfo/transactionId': is('{{txId}}'),
        }),
      ],
    },
    {
      id: 'remote-start-stop',
      title: 'Remote start and stop with the cable plugged in first',
      octt: 'TC_F_01_CS',
      timeoutSec: 120,
      steps: [
        prompt('Plug the cable into EVSE 1 (and into a car or a tester).'),
        send('RequestStartTransaction', {
          idToken: { idToken: 'OCPPSCOPE1', type: 'ISO14443' },
          remoteStartId: 4242,
          evseId: 1,
        }),
        status('Accepted'),
        peerCall(
          'TransactionEvent',
          { '/transactionInfo/remoteStartId': is(4242) },
          { capture: { txId: '/transactionInfo/transactionId' } },
        ),
        send('RequestStopTransaction', { transactionId: '{{txId}}' }),
        status('Accepted'),
        peerCall('TransactionEvent', {
          '/eventType': is('Ended'),
          '/transactionInfo/transactionId': is('{{txId}}'),
        }),
        prompt('Unplug the cable.'),
      ],
    },
  ],
};
