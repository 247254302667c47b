import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClientConfig, observed } from '../aws-clients.js';
import type { AwsContext } from './aws-context.js';

/** The context's DynamoDB client (built once). */
export function dynamoClient(ctx: AwsContext): DynamoDBClient {
  return ctx.once('dynamodb', () => {
    const client = observed(new DynamoDBClient(awsClientConfig(ctx.aws, ctx.aws.dynamodb.endpoint)));
    ctx.onClose(() => client.destroy());
    return client;
  });
}

/** The document client over it, which every DynamoDB store uses. */
export function dynamoDocuments(ctx: AwsContext): DynamoDBDocumentClient {
  return ctx.once('dynamodb-documents', () => {
    const doc = DynamoDBDocumentClient.from(dynamoClient(ctx));
    ctx.onClose(() => doc.destroy());
    return doc;
  });
}
