import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { awsClientConfig, observed } from '../aws-clients.js';
import type { AwsContext } from './aws-context.js';

/** The context's Cognito client (built once). */
export function cognitoClient(ctx: AwsContext): CognitoIdentityProviderClient {
  return ctx.once('cognito', () => {
    const client = observed(new CognitoIdentityProviderClient(awsClientConfig(ctx.aws, ctx.aws.cognito.endpoint)));
    ctx.onClose(() => client.destroy());
    return client;
  });
}
