import type { JsonObject } from '../../ocpp/json';
import type { Scenario, ScenarioCase } from '../scenario-types';
import {
  callError,
  is,
  ISO_TIME,
  oneOf,
  result,
  send,
  sendRaw,
  status,
  unknownActionCase,
} from './step-builders';

/**
 * csms-core-1.6 and csms-core-2.0.1: the tool is the charging station, the CSMS under test is connected to. Set
 * `validIdTag` to a card the CSMS knows (`--var validIdTag=...`); `invalidIdTag` must be one it does not.
 * The CSMS's own CALLs to the tool are answered with the engine's auto-answer.
 */

const VARIABLES = { validIdTag: 'OCPPSCOPE1', invalidIdTag: 'OCPPSCOPE-UNKNOWN' };

/** Boot, the same check in both versions: Accepted, with the time and a heartbeat interval. */
function bootCase(octt: string, payload: JsonObject): ScenarioCase {
  return {
    id: 'boot',
    title: 'BootNotification is Accepted with the time and a heartbeat interval',
    octt,
    steps: [
      send('BootNotification', payload),
      result({
        '/status': is('Accepted'),
        '/currentTime': { regex: ISO_TIME },
        '/interval': { type: 'integer', min: 0 },
      }),
    ],
  };
}

const UNKNOWN_VENDOR_CASE: ScenarioCase = {
  id: 'data-transfer-unknown-vendor',
  title: 'DataTransfer for an unknown vendor is UnknownVendorId',
  steps: [send('DataTransfer', { vendorId: 'org.ocpp-scope.unknown-vendor' }), status('UnknownVendorId')],
};

const HEARTBEAT_CASE: ScenarioCase = {
  id: 'heartbeat',
  title: 'Heartbeat is answered with the time',
  steps: [send('Heartbeat', {}), result({ '/currentTime': { regex: ISO_TIME } })],
};

export const CSMS_CORE_16: Scenario = {
  name: 'csms-core-1.6',
  description: 'Core profile of an OCPP 1.6J Central System, with the tool as a charge point.',
  version: '1.6',
  role: 'station',
  variables: VARIABLES,
  cases: [
    bootCase('TC_001_CSMS', { chargePointVendor: 'OCPP Scope', chargePointModel: 'Check' }),
    HEARTBEAT_CASE,
    {
      id: 'status-notification',
      title: 'StatusNotification is answered',
      steps: [
        send('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }),
        result(),
      ],
    },
    {
      id: 'authorize-valid',
      title: 'Authorize of a known card is Accepted',
      steps: [
        send('Authorize', { idTag: '{{validIdTag}}' }),
        result({ '/idTagInfo/status': is('Accepted') }),
      ],
    },
    {
      id: 'authorize-invalid',
      title: 'Authorize of an unknown card is not Accepted',
      steps: [
        send('Authorize', { idTag: '{{invalidIdTag}}' }),
        result({ '/idTagInfo/status': oneOf('Invalid', 'Blocked', 'Expired') }),
      ],
    },
    {
      id: 'transaction',
      title:
        'A transaction: StartTransaction gets a transaction id, MeterValues and StopTransaction are accepted',
      steps: [
        send('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' }),
        result(),
        send('StartTransaction', {
          connectorId: 1,
          idTag: '{{validIdTag}}',
          meterStart: 1000,
          timestamp: '{{now}}',
        }),
        result(
          { '/transactionId': { type: 'integer' }, '/idTagInfo/status': is('Accepted') },
          { capture: { txId: '/transactionId' } },
        ),
        send('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' }),
        result(),
        send('MeterValues', {
          connectorId: 1,
          transactionId: '{{txId}}',
          meterValue: [
            {
              timestamp: '{{now}}',
              sampledValue: [{ value: '1500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }],
            },
          ],
        }),
        result(),
        send('StopTransaction', {
          transactionId: '{{txId}}',
          idTag: '{{validIdTag}}',
          meterStop: 2000,
          timestamp: '{{now}}',
          reason: 'Local',
        }),
        result(),
        send('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }),
        result(),
      ],
    },
    UNKNOWN_VENDOR_CASE,
    unknownActionCase(),
    {
      id: 'malformed-json',
      title: 'A frame that is not JSON gets a CALLERROR (not silence)',
      steps: [
        sendRaw('[2,"scope-bad-json","Heartbeat",{', 'send a frame cut short (not JSON)'),
        callError([], { answering: 'any' }),
      ],
    },
    {
      id: 'wrong-payload-type',
      title: 'A field of the wrong type gets TypeConstraintViolation',
      steps: [send('Authorize', { idTag: 12345 }), callError(['TypeConstraintViolation'])],
    },
    {
      id: 'missing-required-field',
      title: 'A missing required field gets OccurenceConstraintViolation',
      steps: [
        send('Authorize', {}),
        callError(['OccurenceConstraintViolation', 'OccurrenceConstraintViolation']),
      ],
    },
    {
      id: 'malformed-payload',
      title: 'A payload outside the PDU (unknown enum value) gets FormationViolation',
      steps: [
        send('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Sideways' }),
        callError(['FormationViolation', 'PropertyConstraintViolation']),
      ],
    },
  ],
};

const ID_TOKEN = { idToken: '{{validIdTag}}', type: 'ISO14443' };

export const CSMS_CORE_201: Scenario = {
  name: 'csms-core-2.0.1',
  description: 'Core functions of an OCPP 2.0.1 CSMS, with the tool as a charging station.',
  version: '2.0.1',
  role: 'station',
  variables: VARIABLES,
  cases: [
    bootCase('TC_B_01_CSMS', {
      reason: 'PowerUp',
      chargingStation: { model: 'Check', vendorName: 'OCPP Scope' },
    }),
    HEARTBEAT_CASE,
    {
      id: 'status-notification',
      title: 'StatusNotification is answered',
      steps: [
        send('StatusNotification', {
          timestamp: '{{now}}',
          connectorStatus: 'Available',
          evseId: 1,
          connectorId: 1,
        }),
        result(),
      ],
    },
    {
      id: 'authorize-valid',
      title: 'Authorize of a known card is Accepted',
      steps: [send('Authorize', { idToken: ID_TOKEN }), result({ '/idTokenInfo/status': is('Accepted') })],
    },
    {
      id: 'authorize-invalid',
      title: 'Authorize of an unknown card is not Accepted',
      steps: [
        send('Authorize', { idToken: { idToken: '{{invalidIdTag}}', type: 'ISO14443' } }),
        result({
          '/idTokenInfo/status': oneOf(
            'Blocked',
            'Expired',
            'Invalid',
            'NoCredit',
            'NotAllowedTypeEVSE',
            'NotAtThisLocation',
            'NotAtThisTime',
            'Unknown',
          ),
        }),
      ],
    },
    {
      id: 'transaction',
      title: 'A transaction: TransactionEvent Started, Updated with meter values, Ended are accepted',
      steps: [
        send('TransactionEvent', {
          eventType: 'Started',
          timestamp: '{{now}}',
          triggerReason: 'Authorized',
          seqNo: 0,
          transactionInfo: { transactionId: '{{runId}}' },
          idToken: ID_TOKEN,
          evse: { id: 1, connectorId: 1 },
        }),
        result({ '/idTokenInfo/status': is('Accepted') }),
        send('TransactionEvent', {
          eventType: 'Updated',
          timestamp: '{{now}}',
          triggerReason: 'MeterValuePeriodic',
          seqNo: 1,
          transactionInfo: { transactionId: '{{runId}}', chargingState: 'Charging' },
          meterValue: [
            {
              timestamp: '{{now}}',
              sampledValue: [{ value: 1500, measurand: 'Energy.Active.Import.Register' }],
            },
          ],
        }),
        result(),
        send('TransactionEvent', {
          eventType: 'Ended',
          timestamp: '{{now}}',
          triggerReason: 'StopAuthorized',
          seqNo: 2,
          transactionInfo: { transactionId: '{{runId}}', stoppedReason: 'Local' },
          idToken: ID_TOKEN,
        }),
        result(),
      ],
    },
    {
      id: 'meter-values',
      title: 'MeterValues outside a transaction are answered',
      steps: [
        send('MeterValues', {
          evseId: 1,
          meterValue: [{ timestamp: '{{now}}', sampledValue: [{ value: 1500 }] }],
        }),
        result(),
      ],
    },
    UNKNOWN_VENDOR_CASE,
    unknownActionCase(),
    {
      id: 'malformed-json',
      title: 'A frame that is not JSON gets a CALLERROR (RpcFrameworkError)',
      steps: [
        sendRaw('[2,"scope-bad-json","Heartbeat",{', 'send a frame cut short (not JSON)'),
        callError(['RpcFrameworkError', 'FormatViolation', 'ProtocolError'], {
          answering: 'any',
        }),
      ],
    },
    {
      id: 'wrong-payload-type',
      title: 'A field of the wrong type gets TypeConstraintViolation',
      steps: [
        send('Authorize', { idToken: { idToken: 12345, type: 'ISO14443' } }),
        callError(['TypeConstraintViolation']),
      ],
    },
    {
      id: 'missing-required-field',
      title: 'A missing required field gets OccurrenceConstraintViolation',
      steps: [send('Authorize', {}), callError(['OccurrenceConstraintViolation'])],
    },
    {
      id: 'malformed-payload',
      title: 'A payload outside the PDU (unknown enum value) gets FormatViolation',
      steps: [
        send('StatusNotification', {
          timestamp: '{{now}}',
          connectorStatus: 'Sideways',
          evseId: 1,
          connectorId: 1,
        }),
        callError(['FormatViolation', 'PropertyConstraintViolation']),
      ],
    },
  ],
};
