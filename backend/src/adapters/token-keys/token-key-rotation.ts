import { randomBytes } from 'node:crypto';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { readTokenKeyFile, tokenKeySetAt, type TokenKeyFile } from './load-token-keys.js';

export interface RotationPolicy {
  /** How long after rotation the new key starts issuing: at least two refresh intervals of every instance. */
  activationDelayMs: number;
  /** How long a replaced key keeps resolving: the lookback, plus the longest prefetch of token windows, plus grace. */
  retireAfterMs: number;
}

/**
 * The next key file: a new key (fresh 32 random bytes, the next free id) that becomes the issuing
 * key `activationDelayMs` from now, in front of the current keys; a key replaced longer than
 * `retireAfterMs` ago is dropped. A key with no `activeFrom` is taken as active since ever.
 */
export function nextTokenKeyFile(current: TokenKeyFile, now: Date, policy: RotationPolicy, secret: Buffer = randomBytes(32)): TokenKeyFile {
  const used = new Set(current.keys.map((k) => k.id));
  if (used.size >= 256) throw new Error('all 256 token key ids are in use; retire keys before rotating');
  let id = (current.keys[0]!.id + 1) % 256;
  while (used.has(id)) id = (id + 1) % 256;
  const added = { id, secret: secret.toString('base64'), activeFrom: new Date(now.getTime() + policy.activationDelayMs).toISOString() };
  const kept = current.keys.filter((_key, i) => {
    if (i === 0) return true;
    const replacedAt = current.keys[i - 1]!.activeFrom;
    return replacedAt === undefined || Date.parse(replacedAt) + policy.retireAfterMs > now.getTime();
  });
  return { keys: [added, ...kept] };
}

/** The first key file of a new secret: one key, issuing at once (no instance can hold tokens yet). */
export function firstTokenKeyFile(secret: Buffer = randomBytes(32)): TokenKeyFile {
  return { keys: [{ id: 1, secret: secret.toString('base64') }] };
}

function isEmptyKeyFile(text: string): boolean {
  try {
    const keys = (JSON.parse(text) as { keys?: unknown }).keys;
    return Array.isArray(keys) && keys.length === 0;
  } catch {
    return false;
  }
}

/** One step of a Secrets Manager rotation, as the service invokes the rotation function. */
export interface RotationEvent {
  Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
  SecretId: string;
  ClientRequestToken: string;
}

/**
 * The four rotation steps for the token key secret. `createSecret` stores the next key file as
 * AWSPENDING (once per rotation token), `setSecret` has nothing to configure elsewhere,
 * `testSecret` checks the pending file parses into a usable key set, `finishSecret` makes it
 * AWSCURRENT. Each step can run again safely, as Secrets Manager may retry it.
 */
export async function rotateTokenKeys(client: SecretsManagerClient, event: RotationEvent, policy: RotationPolicy, now: Date): Promise<void> {
  const { SecretId, ClientRequestToken: token } = event;
  const described = await client.send(new DescribeSecretCommand({ SecretId }));
  const stages = described.VersionIdsToStages ?? {};
  if (!described.RotationEnabled) throw new Error(`rotation is not enabled on ${SecretId}`);
  if (!stages[token]) throw new Error(`version ${token} of ${SecretId} has no stage`);
  if (stages[token]!.includes('AWSCURRENT') && event.Step !== 'finishSecret') return;
  if (!stages[token]!.includes('AWSCURRENT') && !stages[token]!.includes('AWSPENDING')) throw new Error(`version ${token} is not pending rotation`);

  switch (event.Step) {
    case 'createSecret': {
      if (await pendingExists(client, SecretId, token)) return;
      const current = await client.send(new GetSecretValueCommand({ SecretId, VersionStage: 'AWSCURRENT' }));
      const text = current.SecretString ?? '';
      // The secret is created without keys (infra's template holds no key material): the first rotation writes one.
      const next = isEmptyKeyFile(text) ? firstTokenKeyFile() : nextTokenKeyFile(readTokenKeyFile(text, `${SecretId} (AWSCURRENT)`), now, policy);
      await client.send(new PutSecretValueCommand({ SecretId, ClientRequestToken: token, SecretString: JSON.stringify(next), VersionStages: ['AWSPENDING'] }));
      return;
    }
    case 'setSecret':
      return;
    case 'testSecret': {
      const pending = await client.send(new GetSecretValueCommand({ SecretId, VersionId: token, VersionStage: 'AWSPENDING' }));
      tokenKeySetAt(readTokenKeyFile(pending.SecretString ?? '', `${SecretId} (AWSPENDING)`), `${SecretId} (AWSPENDING)`, now);
      return;
    }
    case 'finishSecret': {
      const currentVersion = Object.entries(stages).find(([, s]) => s.includes('AWSCURRENT'))?.[0];
      if (currentVersion === token) return;
      await client.send(
        new UpdateSecretVersionStageCommand({ SecretId, VersionStage: 'AWSCURRENT', MoveToVersionId: token, ...(currentVersion ? { RemoveFromVersionId: currentVersion } : {}) }),
      );
      return;
    }
  }
}

async function pendingExists(client: SecretsManagerClient, SecretId: string, VersionId: string): Promise<boolean> {
  try {
    await client.send(new GetSecretValueCommand({ SecretId, VersionId, VersionStage: 'AWSPENDING' }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}
