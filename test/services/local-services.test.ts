import { CognitoIdentityProviderClient, DescribeUserPoolCommand, GetGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { OFFICIALS_GROUP } from '../../backend/src/ports/identity.js';
import { startLocalServices } from '../../infra/local-services/start-local-services.js';

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startLocalServices', () => {
  it('provisions a user pool with opaque usernames, optional software-token MFA and an officials group, and stops what it started', async () => {
    const services = await startLocalServices({ only: ['cognito'], ports: 'free', prefix: 'it-' });
    const cognito = services.endpoints.cognito!;
    const client = new CognitoIdentityProviderClient({ endpoint: cognito.endpoint, region: services.endpoints.region, credentials: services.endpoints.credentials });
    try {
      const { UserPool } = await client.send(new DescribeUserPoolCommand({ UserPoolId: cognito.userPoolId }));
      expect(UserPool?.UsernameAttributes ?? []).toEqual([]);
      expect(UserPool?.MfaConfiguration).toBe('OPTIONAL');
      const { Group } = await client.send(new GetGroupCommand({ UserPoolId: cognito.userPoolId, GroupName: OFFICIALS_GROUP }));
      expect(Group?.GroupName).toBe(OFFICIALS_GROUP);
      const jwks = (await (await fetch(cognito.jwksUri)).json()) as { keys: unknown[] };
      expect(jwks.keys.length).toBeGreaterThan(0);
      expect(services.endpoints.dynamodb).toBeUndefined();
    } finally {
      client.destroy();
      await services.stop();
    }
    expect(services.pids.some(isRunning)).toBe(false);
  });

  it('refuses a port that is taken instead of starting a second engine on it', async () => {
    const first = await startLocalServices({ only: ['cognito'], ports: 'free' });
    try {
      const port = Number(new URL(first.endpoints.cognito!.endpoint).port);
      await expect(startLocalServices({ only: ['cognito'], ports: { cognito: port } })).rejects.toThrow(/already in use/);
    } finally {
      await first.stop();
    }
  });
});
