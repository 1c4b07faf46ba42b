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
 * charger-core-1.6: the tool is the Central System, the charge point under test connects to it. Cases are tagged
 * with the OCTT 1.6 test case id they correspond to where one exists (ids only). Cases with a prompt need a person
 * at the charger (`--no-prompt` skips them).
 */

const TRIGGERABLE = [
  'BootNotification',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
  'Heartbeat',
  'MeterValues',
  'StatusNotification',
] as const;

const CONNECTOR_STATUS = [
  'Available',
  'Preparing',
  'Charging',
  'SuspendedEVSE',
  'SuspendedEV',
  'Finishing',
  'Reserved',
  'Unavailable',
  'Faulted',
];

function trigger(message: (typeof TRIGGERABLE)[number]): ScenarioCase {
  const id = message.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  return {
    id: `trigger-${id}`,
    title: `TriggerMessage ${message}: Accepted, then the ${message} comes`,
    octt: 'TC_054_CS',
    steps: [
      send('TriggerMessage', {
        requestedMessage: message,
        ...(message === 'MeterValues' || message === 'StatusNotification' ? { connectorId: 1 } : {}),
      }),
      status('Accepted'),
      peerCall(message),
    ],
  };
}

export const CHARGER_CORE_16: Scenario = {
  name: 'charger-core-1.6',
  description: 'Core profile of an OCPP 1.6J charge point, with the tool as its Central System.',
  version: '1.6',
  role: 'csms',
  answers: {
    BootNotification: { payload: { status: 'Accepted', currentTime: '{{now}}', interval: 300 } },
  },
  cases: [
    {
      id: 'boot',
      title: 'BootNotification with vendor and model, then a StatusNotification',
      octt: 'TC_001_CS',
      description:
        'Connect (or restart) the charger: it sends BootNotification (answered Accepted) and its connector statuses.',
      timeoutSec: 120,
      steps: [
        peerCall('BootNotification', {
          '/chargePointVendor': { type: 'string' },
          '/chargePointModel': { type: 'string' },
        }),
        peerCall('StatusNotification', {
          '/connectorId': { type: 'integer', min: 0 },
          '/status': oneOf(...CONNECTOR_STATUS),
          '/errorCode': { type: 'string' },
        }),
      ],
    },
    {
      id: 'heartbeat',
      title: 'Heartbeat at the interval set by ChangeConfiguration HeartbeatInterval',
      steps: [
        send('GetConfiguration', { key: ['HeartbeatInterval'] }),
        result(
          { '/configurationKey/0/key': is('HeartbeatInterval') },
          { capture: { interval: '/configurationKey/0/value' } },
        ),
        send('ChangeConfiguration', { key: 'HeartbeatInterval', value: '2' }),
        status('Accepted'),
        peerCall('Heartbeat', {}, { within: 10 }),
        send('ChangeConfiguration', { key: 'HeartbeatInterval', value: '{{interval}}' }),
        status('Accepted'),
      ],
    },
    {
      id: 'get-configuration',
      title: 'GetConfiguration without keys lists the configuration',
      octt: 'TC_019_CS',
      steps: [
        send('GetConfiguration', {}),
        result({ '/configurationKey': { type: 'array' }, '/configurationKey/0/key': { type: 'string' } }),
      ],
    },
    {
      id: 'get-configuration-unknown-key',
      title: 'GetConfiguration of an unknown key lists it as unknown',
      steps: [
        send('GetConfiguration', { key: ['OcppScopeUnknownKey'] }),
        result({ '/unknownKey/0': is('OcppScopeUnknownKey') }),
      ],
    },
    {
      id: 'change-configuration',
      title: 'ChangeConfiguration of a writable key is Accepted',
      octt: 'TC_021_CS',
      steps: [
        send('GetConfiguration', { key: ['MeterValueSampleInterval'] }),
        result({}, { capture: { sample: '/configurationKey/0/value' } }),
        send('ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '{{sample}}' }),
        status('Accepted'),
      ],
    },
    {
      id: 'change-configuration-unknown-key',
      title: 'ChangeConfiguration of an unknown key is NotSupported',
      octt: 'TC_040_1_CS',
      steps: [
        send('ChangeConfiguration', { key: 'OcppScopeUnknownKey', value: '1' }),
        status('NotSupported'),
      ],
    },
    {
      id: 'change-configuration-invalid-value',
      title: 'ChangeConfiguration with an invalid value is Rejected',
      octt: 'TC_040_2_CS',
      steps: [
        send('ChangeConfiguration', { key: 'HeartbeatInterval', value: 'not-a-number' }),
        status('Rejected'),
      ],
    },
    {
      id: 'change-configuration-read-only',
      title: 'ChangeConfiguration of a read-only key (NumberOfConnectors) is Rejected',
      steps: [send('ChangeConfiguration', { key: 'NumberOfConnectors', value: '99' }), status('Rejected')],
    },
    {
      id: 'reset-soft',
      title: 'Reset Soft: Accepted, the charger reconnects and boots again',
      octt: 'TC_014_CS',
      timeoutSec: 120,
      steps: [
        send('Reset', { type: 'Soft' }),
        status('Accepted'),
        { step: 'reconnect' },
        peerCall('BootNotification'),
      ],
    },
    {
      id: 'reset-hard',
      title: 'Reset Hard: Accepted, the charger reconnects and boots again',
      octt: 'TC_013_CS',
      timeoutSec: 180,
      steps: [
        send('Reset', { type: 'Hard' }),
        status('Accepted'),
        { step: 'reconnect' },
        peerCall('BootNotification'),
      ],
    },
    ...TRIGGERABLE.map(trigger),
    {
      id: 'unlock-connector',
      title: 'UnlockConnector on connector 1 (no session)',
      octt: 'TC_017_1_CS',
      steps: [send('UnlockConnector', { connectorId: 1 }), status('Unlocked', 'NotSupported')],
    },
    {
      id: 'unlock-unknown-connector',
      title: 'UnlockConnector on a connector that does not exist is NotSupported',
      octt: 'TC_031_CS',
      steps: [send('UnlockConnector', { connectorId: 99 }), status('NotSupported')],
    },
    {
      id: 'change-availability',
      title:
        'ChangeAvailability Inoperative then Operative on connector 1, each followed by its StatusNotification',
      steps: [
        send('ChangeAvailability', { connectorId: 1, type: 'Inoperative' }),
        status('Accepted'),
        peerCall('StatusNotification', { '/connectorId': is(1), '/status': is('Unavailable') }),
        send('ChangeAvailability', { connectorId: 1, type: 'Operative' }),
        status('Accepted'),
        peerCall('StatusNotification', { '/connectorId': is(1), '/status': is('Available') }),
      ],
    },
    {
      id: 'data-transfer-unknown-vendor',
      title: 'DataTransfer for an unknown vendor is UnknownVendorId',
      octt: 'TC_062_CS',
      steps: [
        send('DataTransfer', { vendorId: 'org.ocpp-scope.unknown-vendor', messageId: 'check' }),
        status('UnknownVendorId'),
      ],
    },
    {
      id: 'remote-stop-unknown-transaction',
      title: 'RemoteStopTransaction of a transaction that does not exist is Rejected',
      octt: 'TC_028_CS',
      steps: [send('RemoteStopTransaction', { transactionId: 987654321 }), status('Rejected')],
    },
    {
      id: 'remote-start-connector-zero',
      title: 'RemoteStartTransaction on connector 0 is Rejected',
      octt: 'TC_027_CS',
      steps: [send('RemoteStartTransaction', { connectorId: 0, idTag: 'OCPPSCOPE1' }), status('Rejected')],
    },
    {
      id: 'unknown-action',
      title: 'A CALL with an unknown action gets CALLERROR NotImplemented',
      steps: [sendFrame([2, '{{uuid}}', 'OcppScopeUnknownAction', {}]), callError(['NotImplemented'])],
    },
    {
      id: 'malformed-json',
      title: 'A frame that is not JSON gets a CALLERROR (not silence)',
      steps: [
        sendRaw(
          '[2,"scope-bad-json","GetConfiguration",{"key":["HeartbeatInterval"]',
          'send a frame cut short (not JSON)',
        ),
        callError([], { answering: 'any' }),
      ],
    },
    {
      id: 'malformed-payload',
      title: 'A payload outside the PDU (unknown enum value) gets FormationViolation',
      steps: [
        send('TriggerMessage', { requestedMessage: 'NoSuchMessage' }),
        callError(['FormationViolation', 'PropertyConstraintViolation']),
      ],
    },
    {
      id: 'wrong-payload-type',
      title: 'A field of the wrong type gets TypeConstraintViolation',
      steps: [send('GetConfiguration', { key: 'HeartbeatInterval' }), callError(['TypeConstraintViolation'])],
    },
    {
      id: 'missing-required-field',
      title: 'A missing required field gets OccurenceConstraintViolation',
      steps: [
        send('ChangeConfiguration', { key: 'HeartbeatInterval' }),
        // 1.6 spells it with one r; the errata's spelling is accepted too.
        callError(['OccurenceConstraintViolation', 'OccurrenceConstraintViolation']),
      ],
    },
    {
      id: 'duplicate-message-id',
      title: 'A second CALL reusing a message id is still answered',
      steps: [
        send('GetConfiguration', { key: ['HeartbeatInterval'] }, { messageId: '{{runId}}' }),
        { step: 'expect', messageType: ['CALLRESULT', 'CALLERROR'] },
        send('GetConfiguration', { key: ['HeartbeatInterval'] }, { messageId: '{{runId}}' }),
        { step: 'expect', messageType: ['CALLRESULT', 'CALLERROR'] },
      ],
    },
    {
      id: 'call-while-in-flight',
      title: 'Two CALLs sent without waiting are both answered',
      steps: [
        send('GetConfiguration', { key: ['HeartbeatInterval'] }, { name: 'first' }),
        send('GetConfiguration', { key: ['NumberOfConnectors'] }, { name: 'second' }),
        { step: 'expect', messageType: ['CALLRESULT', 'CALLERROR'], answering: 'first' },
        { step: 'expect', messageType: ['CALLRESULT', 'CALLERROR'], answering: 'second' },
      ],
    },
    {
      id: 'local-start-stop',
      title: 'Local start and stop: card, cable, StartTransaction, StopTransaction',
      octt: 'TC_004_1_CS',
      timeoutSec: 120,
      answers: {
        StartTransaction: { payload: { transactionId: 4242, idTagInfo: { status: 'Accepted' } } },
      },
      steps: [
        prompt('Present a valid card (RFID) to the charger.'),
        peerCall('Authorize', { '/idTag': { type: 'string' } }, { capture: { idTag: '/idTag' } }),
        prompt('Plug the cable into connector 1 (and into a car or a tester).'),
        peerCall('StartTransaction', { '/idTag': is('{{idTag}}'), '/meterStart': { type: 'integer' } }),
        prompt('Stop the charge: present the same card again, then unplug the cable.'),
        peerCall('StopTransaction', { '/transactionId': is(4242), '/meterStop': { type: 'integer' } }),
      ],
    },
    {
      id: 'authorize-invalid',
      title: 'A card the Central System refuses starts no transaction',
      octt: 'TC_023_4_CS',
      timeoutSec: 120,
      answers: { Authorize: { payload: { idTagInfo: { status: 'Invalid' } } } },
      steps: [
        prompt('Present a card to the charger (the tool will refuse it).'),
        peerCall('Authorize'),
        prompt('Plug the cable into connector 1.'),
        { step: 'expect-none', messageType: 'CALL', action: 'StartTransaction', within: 15 },
        prompt('Unplug the cable.'),
      ],
    },
    {
      id: 'remote-start-stop',
      title: 'Remote start and stop with the cable plugged in first',
      octt: 'TC_010_CS',
      timeoutSec: 120,
      answers: {
        StartTransaction: { payload: { transactionId: 4343, idTagInfo: { status: 'Accepted' } } },
      },
      steps: [
        prompt('Plug the cable into connector 1 (and into a car or a tester).'),
        send('RemoteStartTransaction', { connectorId: 1, idTag: 'OCPPSCOPE1' }),
        status('Accepted'),
        peerCall('StartTransaction', { '/connectorId': is(1), '/idTag': is('OCPPSCOPE1') }),
        send('RemoteStopTransaction', { transactionId: 4343 }),
        status('Accepted'),
        peerCall('StopTransaction', { '/transactionId': is(4343) }),
        prompt('Unplug the cable.'),
      ],
    },
  ],
};
