import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deleteItemsBefore, deleteKeys, isConditionalCheckFailed, named, scanAll } from './dynamo-operations.js';
import { TTL_ATTRIBUTE, ttlSeconds } from './dynamo-tables.js';

export interface StoredChallenge {
  challengeId: string;
  /** Which sign-in it belongs to: a device's, or an official's (which also needs the authenticator). */
  purpose: 'device' | 'official';
  phoneNumber: string;
  codeHash: string;
  expiresAt: Date;
}

export type ChallengeOutcome = { error: 'unknown' | 'expired' | 'exhausted' | 'mismatch' } | { phoneNumber: string };

/**
 * The SMS one-time codes of the Cognito identity adapter: one item per challenge with the code's
 * hash, its expiry and the failed attempts. A right answer deletes the item conditionally (so it
 * is used once); a wrong one counts, conditionally, up to the limit. The phone number is kept only
 * until the challenge is answered or expires (DynamoDB TTL, and `purgeExpired`).
 */
export class DynamoSignInChallenges {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(challenge: StoredChallenge): Promise<void> {
    await this.db.send(
      new PutCommand(
        named({
          TableName: this.table,
          Item: {
            challengeId: challenge.challengeId,
            phoneNumber: challenge.phoneNumber,
            purpose: challenge.purpose,
            codeHash: challenge.codeHash,
            expiresAt: challenge.expiresAt.getTime(),
            failedAttempts: 0,
            [TTL_ATTRIBUTE]: ttlSeconds(challenge.expiresAt),
          },
          ConditionExpression: 'attribute_not_exists(#challengeId)',
        }),
      ),
    );
  }

  /** The number of a live challenge of this purpose. */
  async phoneNumberOf(challengeId: string, purpose: StoredChallenge['purpose'], now: Date): Promise<string | undefined> {
    const { Item: item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { challengeId }, ConsistentRead: true }));
    return item && purposeOf(item) === purpose && (item.expiresAt as number) > now.getTime() ? (item.phoneNumber as string) : undefined;
  }

  /** Checks an answer; `matches` compares the stored hash with the answer's. */
  async answer(
    challengeId: string,
    purpose: StoredChallenge['purpose'],
    matches: (storedHash: string) => boolean,
    now: Date,
    maxFailedAttempts: number,
  ): Promise<ChallengeOutcome> {
    const { Item: item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { challengeId }, ConsistentRead: true }));
    if (!item || purposeOf(item) !== purpose) return { error: 'unknown' };
    if ((item.expiresAt as number) <= now.getTime()) return { error: 'expired' };
    if ((item.failedAttempts as number) >= maxFailedAttempts) return { error: 'exhausted' };
    const guard = { ConditionExpression: 'attribute_exists(#challengeId) AND #failedAttempts < :max', ExpressionAttributeValues: { ':max': maxFailedAttempts } };
    if (!matches(item.codeHash as string)) {
      try {
        await this.db.send(
          new UpdateCommand(
            named({ TableName: this.table, Key: { challengeId }, UpdateExpression: 'ADD #failedAttempts :one', ...guard, ExpressionAttributeValues: { ':one': 1, ':max': maxFailedAttempts } }),
          ),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        return { error: 'exhausted' };
      }
      return { error: 'mismatch' };
    }
    try {
      await this.db.send(new DeleteCommand(named({ TableName: this.table, Key: { challengeId }, ...guard })));
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return { error: 'unknown' }; // answered (or exhausted) concurrently
    }
    return { phoneNumber: item.phoneNumber as string };
  }

  /** Deletes the challenges pending for a phone (erasure); the table holds minutes of challenges, so a scan is cheap. */
  async deleteForPhone(phoneNumber: string): Promise<number> {
    const pending = await scanAll(this.db, {
      TableName: this.table,
      FilterExpression: '#phoneNumber = :phone',
      ProjectionExpression: '#challengeId',
      ExpressionAttributeValues: { ':phone': phoneNumber },
      ConsistentRead: true,
    });
    return deleteKeys(this.db, this.table, pending);
  }

  /** Deletes challenges that can no longer be answered; returns how many. */
  purgeExpired(now: Date): Promise<number> {
    return deleteItemsBefore(this.db, this.table, { attribute: 'expiresAt', limit: now.getTime(), keys: ['challengeId'] });
  }
}

/** Challenges stored before purposes existed were devices'. */
function purposeOf(item: Record<string, unknown>): StoredChallenge['purpose'] {
  return item.purpose === 'official' ? 'official' : 'device';
}
