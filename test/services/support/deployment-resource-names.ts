import type { CfnElement } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { dynamoTableNames } from '../../../backend/src/adapters/dynamodb/dynamo-tables.js';
import { contactQueueNames } from '../../../backend/src/adapters/sqs/sqs-queues.js';
import { FUNCTIONS, type QueueName, type SecretName } from '../../../backend/src/lambda/functions.js';
import type { BackendFunctions } from '../../../infra/aws/constructs/backend-functions.js';
import type { ContactQueue } from '../../../infra/aws/constructs/contact-queue.js';
import type { DataTables } from '../../../infra/aws/constructs/data-tables.js';
import type { Identity } from '../../../infra/aws/constructs/identity.js';
import type { SearchTier } from '../../../infra/aws/constructs/search-tier.js';
import type { DeploymentSecrets } from '../../../infra/aws/constructs/secrets.js';
import type { ProxitraceStack } from '../../../infra/aws/proxitrace-stack.js';

/**
 * One name for each resource a function may touch, the same on both sides of the comparison:
 * `table/<registry name>`, `queue/<registry name>`, `secret/<registry name>`, `user-pool/devices`,
 * `search-domain`, `log-group/<function>`, `queue/stream-failures`.
 */
export function templateResourceNames(stack: ProxitraceStack): Map<string, string> {
  const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const child = <T>(id: string) => stack.node.findChild(id) as T;
  const names = new Map<string, string>();
  for (const [name, table] of Object.entries(child<DataTables>('Tables').tables)) names.set(logicalId(table), `table/${name}`);
  const queue = child<ContactQueue>('ContactQueue');
  const queues: Record<QueueName, Construct> = { contacts: queue.queue, contactDeadLetters: queue.deadLetterQueue, tracingDeadLetters: queue.tracingDeadLetterQueue };
  for (const [name, q] of Object.entries(queues)) names.set(logicalId(q), `queue/${name}`);
  for (const [name, secret] of Object.entries(child<DeploymentSecrets>('Secrets').secrets)) names.set(logicalId(secret), `secret/${name}`);
  names.set(logicalId(child<Identity>('Identity').devicePool), 'user-pool/devices');
  const target = child<SearchTier>('Search').target;
  if (target.kind === 'opensearch-service') names.set(logicalId(target.domain), 'search-domain');
  const functions = child<BackendFunctions>('Functions');
  for (const spec of FUNCTIONS) names.set(logicalId(functions.node.findChild(`${spec.id}-logs`)), `log-group/${spec.id}`);
  if (functions.streamFailures) names.set(logicalId(functions.streamFailures), 'queue/stream-failures');
  return names;
}

/**
 * A recorded call's resource (aws-call-recorder.ts) under the same names: the local tables and
 * queues carry the test's prefix, the secrets the ids the functions were given, the pool its local id.
 */
export function recordedResourceName(recorded: string, local: { prefix: string; secretIds: Record<SecretName, string>; userPoolId: string }): string {
  const { prefix, secretIds } = local;
  const colon = recorded.indexOf(':');
  const kind = recorded.slice(0, colon);
  const value = recorded.slice(colon + 1);
  const reverse = (map: Record<string, string>, name: string) => Object.entries(map).find(([, v]) => v === name)?.[0];
  switch (kind) {
    case 'table': {
      const [table, ...index] = value.split('/');
      const name = reverse(dynamoTableNames(prefix) as unknown as Record<string, string>, table!);
      return `table/${name ?? `unknown(${table})`}${index.length ? `/${index.join('/')}` : ''}`;
    }
    case 'queue': {
      const names = contactQueueNames(prefix);
      const byName: Record<string, QueueName> = { [names.queue]: 'contacts', [names.deadLetterQueue]: 'contactDeadLetters', [names.tracingDeadLetterQueue]: 'tracingDeadLetters' };
      return `queue/${byName[value] ?? `unknown(${value})`}`;
    }
    case 'secret':
      return `secret/${reverse(secretIds, value) ?? `unknown(${value})`}`;
    case 'user-pool':
      if (value === '(by token)') return 'user-pool/(by token)';
      return value === local.userPoolId ? 'user-pool/devices' : `user-pool/unknown(${value})`;
    case 'search':
      return `search-domain${value}`;
    case 'sms':
      return value;
    default:
      return recorded;
  }
}
