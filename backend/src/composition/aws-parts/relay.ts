import { DynamoDedicatedDevices } from '../../adapters/dynamodb/dynamo-dedicated-devices.js';
import { DynamoOwnerAlertLedger } from '../../adapters/dynamodb/dynamo-owner-alert-ledger.js';
import { LogWarningChannel } from '../../adapters/log/log-warning-channel.js';
import { OwnerAlertingChannel } from '../../application/relay/owner-alerting-channel.js';
import type { WarningChannel } from '../../ports/warning-channel.js';
import { relayServices as relayOver, type RelayServices } from '../relay-services.js';
import type { AwsContext } from './aws-context.js';
import { dynamoDocuments } from './dynamo-client.js';
import { relayKeys } from './relay-keys.js';
import { smsSender } from './sms-sender.js';

/** The dedicated devices' registrations and their owners' alerts on DynamoDB, without keys or SMS (what an erasure needs). */
export function relayRecords(ctx: AwsContext): Pick<RelayServices, 'registry' | 'ledger'> {
  return ctx.once('relay-records', () => {
    const doc = dynamoDocuments(ctx);
    return { registry: new DynamoDedicatedDevices(doc, ctx.tables), ledger: new DynamoOwnerAlertLedger(doc, ctx.tables.ownerAlerts) };
  });
}

/** Dedicated devices, relaying and owners' SMS warnings on DynamoDB, the relay keys and SMS. */
export function relay(ctx: AwsContext): Promise<RelayServices> {
  return ctx.once('relay', async () => relayOver(ctx.config, ctx.clock, ctx.logger, { ...relayRecords(ctx), keys: await relayKeys(ctx), sms: smsSender(ctx) }));
}

/** Warnings go to the log, and by SMS to the owners of dedicated devices. */
export async function warningChannel(ctx: AwsContext): Promise<WarningChannel> {
  return new OwnerAlertingChannel(new LogWarningChannel(ctx.logger), (await relay(ctx)).ownerAlerts);
}
