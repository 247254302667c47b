import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RefreshFamily, RefreshTokenFamilies } from '../../ports/refresh-token-families.js';
import { deleteKeys, isConditionalCheckFailed, named, queryAll, scanAll } from './dynamo-operations.js';
import { REFRESH_FAMILIES_BY_SUBJECT_INDEX, TTL_ATTRIBUTE, ttlSeconds } from './dynamo-tables.js';

/** Refresh-token families, one item each; a rotation is a conditional update on the generation. */
export class DynamoRefreshTokenFamilies implements RefreshTokenFamilies {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(f: RefreshFamily): Promise<void> {
    await this.db.send(
      new PutCommand(
        named({
          TableName: this.table,
          Item: {
            id: f.id,
            subject: f.subject,
            generation: f.generation,
            secretHash: f.secretHash,
            ...(f.upstream === undefined ? {} : { upstream: f.upstream }),
            createdAt: f.createdAt.getTime(),
            expiresAt: f.expiresAt.getTime(),
            ...(f.revokedAt === undefined ? {} : { revokedAt: f.revokedAt.getTime() }),
            [TTL_ATTRIBUTE]: ttlSeconds(f.expiresAt),
          },
          ConditionExpression: 'attribute_not_exists(#id)',
        }),
      ),
    );
  }

  async find(id: string): Promise<RefreshFamily | undefined> {
    const { Item: i } = await this.db.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }));
    return i && {
      id: i.id as string,
      subject: i.subject as string,
      generation: i.generation as number,
      secretHash: i.secretHash as string,
      upstream: i.upstream as string | undefined,
      createdAt: new Date(i.createdAt as number),
      expiresAt: new Date(i.expiresAt as number),
      revokedAt: i.revokedAt === undefined ? undefined : new Date(i.revokedAt as number),
    };
  }

  async advance(id: string, fromGeneration: number, next: { secretHash: string; upstream?: string | undefined }): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand(
          named({
            TableName: this.table,
            Key: { id },
            UpdateExpression: next.upstream === undefined ? 'SET #generation = :next, #secretHash = :hash REMOVE #upstream' : 'SET #generation = :next, #secretHash = :hash, #upstream = :upstream',
            ConditionExpression: '#generation = :from AND attribute_not_exists(#revokedAt)',
            ExpressionAttributeNames: { '#upstream': 'upstream' },
            ExpressionAttributeValues: {
              ':from': fromGeneration,
              ':next': fromGeneration + 1,
              ':hash': next.secretHash,
              ...(next.upstream === undefined ? {} : { ':upstream': next.upstream }),
            },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async revoke(id: string, now: Date): Promise<void> {
    await this.revokeIfLive(id, now);
  }

  async revokeAllOf(subject: string, now: Date): Promise<number> {
    const keys = await queryAll(this.db, {
      TableName: this.table,
      IndexName: REFRESH_FAMILIES_BY_SUBJECT_INDEX,
      KeyConditionExpression: '#subject = :subject',
      ExpressionAttributeValues: { ':subject': subject },
    });
    const revoked = await Promise.all(keys.map((k) => this.revokeIfLive(k.id as string, now)));
    return revoked.filter(Boolean).length;
  }

  async purgeExpired(now: Date): Promise<number> {
    const expired = await scanAll(this.db, {
      TableName: this.table,
      FilterExpression: '#expiresAt <= :now',
      ProjectionExpression: '#id',
      ExpressionAttributeValues: { ':now': now.getTime() },
    });
    return deleteKeys(this.db, this.table, expired);
  }

  private async revokeIfLive(id: string, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand(
          named({
            TableName: this.table,
            Key: { id },
            UpdateExpression: 'SET #revokedAt = :now REMOVE #upstream',
            ConditionExpression: 'attribute_exists(#id) AND attribute_not_exists(#revokedAt) AND #expiresAt > :now',
            ExpressionAttributeNames: { '#upstream': 'upstream' },
            ExpressionAttributeValues: { ':now': now.getTime() },
          }),
        ),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
