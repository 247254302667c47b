import { randomUUID } from 'node:crypto';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, inject } from 'vitest';
import type { LocalEndpoints } from '../../../infra/local-services/start-local-services.js';

/** The endpoints the global setup started. */
export function localServices(): LocalEndpoints {
  return inject('localServices');
}

/** SDK clients for the local engines, destroyed after the file's tests. */
export function localAwsClients(): { dynamo: DynamoDBClient; doc: DynamoDBDocumentClient; sqs: SQSClient } {
  const { region, credentials, dynamodb, sqs: sqsEndpoint } = localServices();
  if (!dynamodb || !sqsEndpoint) throw new Error('the global setup did not start dynamodb and sqs');
  const dynamo = new DynamoDBClient({ endpoint: dynamodb.endpoint, region, credentials: { ...credentials } });
  const doc = DynamoDBDocumentClient.from(dynamo);
  const sqs = new SQSClient({ endpoint: sqsEndpoint.endpoint, region, credentials: { ...credentials } });
  afterAll(() => {
    doc.destroy();
    dynamo.destroy();
    sqs.destroy();
  });
  return { dynamo, doc, sqs };
}

/** An administrator's client of cognito-local, destroyed after the file's tests. */
export function localCognitoClient(): CognitoIdentityProviderClient {
  const { region, credentials, cognito } = localServices();
  if (!cognito) throw new Error('the global setup did not start cognito');
  const client = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region, credentials: { ...credentials } });
  afterAll(() => client.destroy());
  return client;
}

/** A prefix no other test uses, so each test gets its own tables and queues. */
export function uniquePrefix(): string {
  return `t${randomUUID().replaceAll('-', '').slice(0, 12)}-`;
}
