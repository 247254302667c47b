import { DynamoAuditLog } from '../../adapters/dynamodb/dynamo-audit-log.js';
import { DynamoRateLimitStore } from '../../adapters/dynamodb/dynamo-rate-limit-store.js';
import { DynamoRefreshTokenFamilies } from '../../adapters/dynamodb/dynamo-refresh-token-families.js';
import { SignInThrottle } from '../../application/sign-in-throttle.js';
import type { AwsContext } from './aws-context.js';
import { dynamoDocuments } from './dynamo-client.js';

/** The sign-in safeguards' stores and the throttle over them (the same wiring as sign-in-services.ts). */
export const rateLimits = (c: AwsContext) => c.once('rateLimits', () => new DynamoRateLimitStore(dynamoDocuments(c), c.tables.rateLimits));

export const refreshFamilies = (c: AwsContext) => c.once('refreshFamilies', () => new DynamoRefreshTokenFamilies(dynamoDocuments(c), c.tables.refreshFamilies));

export const audit = (c: AwsContext) => c.once('audit', () => new DynamoAuditLog(dynamoDocuments(c), c.tables.auditLog, c.config.signIn.auditRetentionMs));

export const signInThrottle = (c: AwsContext) =>
  c.once('signInThrottle', () => {
    const { limits, allowedCallingCodes, unlimitedAddress } = c.config.signIn;
    return new SignInThrottle(rateLimits(c), { limits, allowedCallingCodes, unlimitedAddress }, c.clock);
  });
