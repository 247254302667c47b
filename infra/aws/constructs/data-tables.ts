import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { dynamoTableDefinitions, dynamoTableNames, TTL_ATTRIBUTE, type DynamoTableNames, type TableDefinition } from '../../../backend/src/adapters/dynamodb/dynamo-tables.js';
import type { StageConfig } from '../config/stage-config.js';

export type Tables = Record<keyof DynamoTableNames, dynamodb.Table>;

/**
 * The DynamoDB tables, each exactly as `dynamoTableDefinitions()` defines it (the definitions the
 * local services and tests create): keys, indexes, stream, TTL, point-in-time recovery; on demand,
 * with deletion protection and retention where the stage keeps its data.
 */
export class DataTables extends Construct {
  readonly tables: Tables;
  readonly names: DynamoTableNames;
  readonly definitions: readonly TableDefinition[];

  constructor(scope: Construct, id: string, props: { config: StageConfig }) {
    super(scope, id);
    this.names = dynamoTableNames(props.config.prefix);
    this.definitions = dynamoTableDefinitions(this.names);
    this.tables = Object.fromEntries(this.definitions.map((d) => [d.name, this.table(d, props.config)])) as Tables;
  }

  private table(definition: TableDefinition, config: StageConfig): dynamodb.Table {
    const { input } = definition;
    const attributeType = (name: string) => {
      const type = input.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
      if (!type) throw new Error(`table ${input.TableName}: attribute ${name} has no definition`);
      return { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER, B: dynamodb.AttributeType.BINARY }[type];
    };
    const key = (schema: typeof input.KeySchema, kind: 'HASH' | 'RANGE') => {
      const name = schema?.find((k) => k.KeyType === kind)?.AttributeName;
      return name ? { name, type: attributeType(name) } : undefined;
    };
    const viewType = input.StreamSpecification?.StreamEnabled ? input.StreamSpecification.StreamViewType : undefined;
    const table = new dynamodb.Table(this, definition.name, {
      tableName: input.TableName,
      partitionKey: key(input.KeySchema, 'HASH')!,
      sortKey: key(input.KeySchema, 'RANGE'),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: definition.pointInTimeRecovery },
      timeToLiveAttribute: definition.ttl ? TTL_ATTRIBUTE : undefined,
      stream: viewType ? dynamodb.StreamViewType[viewType] : undefined,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: config.keepData,
      removalPolicy: config.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of input.GlobalSecondaryIndexes ?? []) {
      const projection = index.Projection?.ProjectionType ?? 'ALL';
      table.addGlobalSecondaryIndex({
        indexName: index.IndexName!,
        partitionKey: key(index.KeySchema, 'HASH')!,
        sortKey: key(index.KeySchema, 'RANGE'),
        projectionType: dynamodb.ProjectionType[projection],
        nonKeyAttributes: projection === 'INCLUDE' ? index.Projection?.NonKeyAttributes : undefined,
      });
    }
    return table;
  }
}
