import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RefreshFamily, RefreshTokenFamilies } from '../../ports/refresh-token-families.js';
import { conditionally, deleteItemsBefore, deleteKeys, named, queryAll } from './dynamo-operations.js';
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

  advance(id: string, fromGeneration: number, next: { secretHash: string; upstream?: string | undefined }): Promise<boolean> {
    const sealed = next.upstream === undefined ? {} : { ':upstream': next.upstream };
    return this.update(id, {
      set: `#generation = :next, #secretHash = :hash${next.upstream === undefined ? ' REMOVE #upstream' : ', #upstream = :upstream'}`,
      condition: '#generation = :from AND attribute_not_exists(#revokedAt)',
      values: { ':from': fromGeneration, ':next': fromGeneration + 1, ':hash': next.secretHash, ...sealed },
    });
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

  async deleteAllOf(subject: string): Promise<number> {
    const keys = await queryAll(this.db, {
      TableName: this.table,
      IndexName: REFRESH_FAMILIES_BY_SUBJECT_INDEX,
      KeyConditionExpression: '#subject = :subject',
      ExpressionAttributeValues: { ':subject': subject },
      ProjectionExpression: '#id',
    });
    return deleteKeys(this.db, this.table, keys.map((k) => ({ id: k.id })));
  }

  purgeExpired(now: Date): Promise<number> {
    return deleteItemsBefore(this.db, this.table, { attribute: 'expiresAt', limit: now.getTime(), keys: ['id'], inclusive: true });
  }

  private revokeIfLive(id: string, now: Date): Promise<boolean> {
    return this.update(id, {
      set: '#revokedAt = :now REMOVE #upstream',
      condition: 'attribute_exists(#id) AND attribute_not_exists(#revokedAt) AND #expiresAt > :now',
      values: { ':now': now.getTime() },
    });
  }

  /** A conditional update of one family: true when made, false when the condition failed. */
  private update(id: string, u: { set: string; condition: string; values: Record<string, unknown> }): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand(
          named({
            TableName: this.table,
            Key: { id },
            UpdateExpression: `SET ${u.set}`,
            ConditionExpression: u.condition,
            ExpressionAttributeNames: { '#upstream': 'upstream' },
            ExpressionAttributeValues: u.values,
          }),
        ),
      ),
    );
  }
}
