import { CognitoIdentity } from '../../adapters/cognito/cognito-identity.js';
import { DynamoSignInChallenges } from '../../adapters/dynamodb/dynamo-sign-in-challenges.js';
import { AccessTokenVerifier } from '../../adapters/jwt/access-token-verifier.js';
import type { Identity } from '../../ports/identity.js';
import { SIGN_IN_CHALLENGE_POLICY } from '../sign-in-policy.js';
import type { AwsContext } from './aws-context.js';
import { cognitoClient } from './cognito-client.js';
import { dynamoDocuments } from './dynamo-client.js';
import { phoneHasher } from './phone-hasher.js';
import { smsSender } from './sms-sender.js';

/** The verifier of the device pool's access tokens (its keys fetched from Cognito on the first token). */
export function accessTokens(ctx: AwsContext): AccessTokenVerifier {
  const { cognito } = ctx.aws;
  return ctx.once('accessTokens', () => new AccessTokenVerifier({ issuer: cognito.issuer, jwksUri: cognito.jwksUri, clientId: cognito.clientId, clock: ctx.identityClock }));
}

/** For a function whose callers only show an access token: the identity reduced to checking it. */
export function tokenVerifyingIdentity(ctx: AwsContext): Pick<Identity, 'verifyAccessToken'> {
  const verifier = accessTokens(ctx);
  return { verifyAccessToken: (token) => verifier.verify(token) };
}

/** Cognito as the identity provider: users, sign-in challenges in DynamoDB, codes by SMS. */
export function cognitoIdentity(ctx: AwsContext): Promise<CognitoIdentity> {
  return ctx.once('identity', async () => {
    const { aws, config } = ctx;
    return new CognitoIdentity(
      cognitoClient(ctx),
      new DynamoSignInChallenges(dynamoDocuments(ctx), ctx.tables.signInChallenges),
      accessTokens(ctx),
      smsSender(ctx),
      await phoneHasher(ctx),
      {
        userPoolId: aws.cognito.userPoolId,
        clientId: aws.cognito.clientId,
        officialPhoneNumbers: config.officialPhoneNumbers,
        officialRoleCacheMs: config.signIn.officialRoleCacheMs,
        ...SIGN_IN_CHALLENGE_POLICY,
        echoCodes: config.devSmsEcho,
      },
      ctx.identityClock,
    );
  });
}
