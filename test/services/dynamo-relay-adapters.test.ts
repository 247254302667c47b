import { DynamoDedicatedDevices } from '../../backend/src/adapters/dynamodb/dynamo-dedicated-devices.js';
import { DynamoOwnerAlertLedger } from '../../backend/src/adapters/dynamodb/dynamo-owner-alert-ledger.js';
import { createDynamoTables, deleteDynamoTables, dynamoTableNames, type DynamoTableNames } from '../../backend/src/adapters/dynamodb/dynamo-tables.js';
import type { AdapterHarness } from '../backend/contracts/adapter-harness.js';
import { describeDedicatedDevicesContract } from '../backend/contracts/dedicated-devices.contract.js';
import { describeOwnerAlertLedgerContract } from '../backend/contracts/owner-alert-ledger.contract.js';
import { localAwsClients, uniquePrefix } from './support/aws-clients.js';

const { dynamo, doc } = localAwsClients();

function onFreshTables<T>(build: (tables: DynamoTableNames) => T): () => Promise<AdapterHarness<T>> {
  return async () => {
    const tables = dynamoTableNames(uniquePrefix());
    await createDynamoTables(dynamo, tables);
    return { adapter: build(tables), close: () => deleteDynamoTables(dynamo, tables) };
  };
}

describeDedicatedDevicesContract('dynamodb', onFreshTables((tables) => new DynamoDedicatedDevices(doc, tables)));
describeOwnerAlertLedgerContract('dynamodb', onFreshTables((tables) => new DynamoOwnerAlertLedger(doc, tables.ownerAlerts)));
