import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTokenKeyFile, tokenKeySetAt, type TokenKeyFile } from '../../../backend/src/adapters/token-keys/load-token-keys.js';
import { loadSecretTokenKeys } from '../../../backend/src/adapters/token-keys/secret-token-keys.js';
import { nextTokenKeyFile, rotateTokenKeys, type RotationEvent } from '../../../backend/src/adapters/token-keys/token-key-rotation.js';
import { TokenCipher } from '../../../backend/src/domain/tokens/token-cipher.js';
import { FakeSecretsManager } from '../../support/fake-secrets-manager.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const POLICY = { activationDelayMs: HOUR, retireAfterMs: 16 * DAY };
const T0 = new Date('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const key = (byte: number) => Buffer.alloc(32, byte);
const window = { startMinute: Math.floor(T0.getTime() / 60_000), lengthMinutes: 180 };

describe('Function: nextTokenKeyFile', () => {
  const first: TokenKeyFile = { keys: [{ id: 1, secret: key(1).toString('base64') }] };

  it('puts a fresh key with the next id in front, issuing only after the activation delay', () => {
    const next = nextTokenKeyFile(first, T0, POLICY, key(2));
    expect(next.keys.map((k) => k.id)).toEqual([2, 1]);
    expect(next.keys[0]).toEqual({ id: 2, secret: key(2).toString('base64'), activeFrom: at(HOUR).toISOString() });
    expect(tokenKeySetAt(next, 'file', at(HOUR - 1)).newest.id).toBe(1);
    expect(tokenKeySetAt(next, 'file', at(HOUR)).newest.id).toBe(2);
  });

  it('drops a key once it was replaced longer ago than the retirement period', () => {
    const second = nextTokenKeyFile(first, T0, POLICY, key(2));
    expect(nextTokenKeyFile(second, at(16 * DAY), POLICY, key(3)).keys.map((k) => k.id)).toEqual([3, 2, 1]);
    expect(nextTokenKeyFile(second, at(17 * DAY + HOUR), POLICY, key(3)).keys.map((k) => k.id)).toEqual([3, 2]);
  });

  it('wraps ids past 255 and skips those in use', () => {
    const file: TokenKeyFile = { keys: [{ id: 255, secret: key(9).toString('base64') }, { id: 0, secret: key(8).toString('base64'), activeFrom: at(DAY).toISOString() }] };
    expect(nextTokenKeyFile(file, T0, POLICY, key(3)).keys[0]!.id).toBe(1);
  });
});

describe('Secrets Manager rotation of the token keys (the rotation steps and the loader, through the AWS SDK)', () => {
  const sm = new FakeSecretsManager();
  let client: SecretsManagerClient;
  const SECRET = 'proxitrace-test-token-keys';
  beforeAll(async () => {
    const endpoint = await sm.start();
    client = new SecretsManagerClient({ endpoint, region: 'eu-west-2', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    // As infra creates it: no key material in the template, so no key yet.
    sm.create(SECRET, JSON.stringify({ keys: [], bootstrap: 'x' }));
  });
  afterAll(async () => {
    client.destroy();
    await sm.stop();
  });

  const rotate = async (now: Date) => {
    const token = sm.beginRotation(SECRET);
    for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
      const event: RotationEvent = { Step, SecretId: SECRET, ClientRequestToken: token };
      await rotateTokenKeys(client, event, POLICY, now);
      // Secrets Manager may run a step again: nothing changes.
      await rotateTokenKeys(client, event, POLICY, now);
    }
  };

  it('writes the first key at once, then adds keys that every instance learns before they issue', async () => {
    await rotate(T0);
    const first = readTokenKeyFile(sm.current(SECRET), 'secret');
    expect(first.keys).toHaveLength(1);
    expect(first.keys[0]!.activeFrom).toBeUndefined();

    let now = T0;
    const keys = await loadSecretTokenKeys(client, { secretId: SECRET, refreshMs: 50, now: () => now, onError: (e) => { throw e; } });
    const cipher = new TokenCipher(keys.keySet);
    const oldToken = cipher.issue(42, window);

    await rotate(at(DAY));
    now = at(DAY + 1);
    const refreshed = await new Promise<TokenCipher>((resolve) => {
      const stop = keys.follow((set) => {
        stop();
        cipher.replaceKeys(set);
        resolve(cipher);
      });
    });
    // The new key is known (old tokens and new ones resolve) but does not issue yet.
    expect(refreshed.issuingKeyId).toBe(first.keys[0]!.id);
    expect(refreshed.resolve(oldToken)?.device).toBe(42);
    const current = readTokenKeyFile(sm.current(SECRET), 'secret');
    expect(current.keys.map((k) => k.id)).toEqual([first.keys[0]!.id + 1, first.keys[0]!.id]);
    expect(tokenKeySetAt(current, 'secret', at(DAY + HOUR)).newest.id).toBe(first.keys[0]!.id + 1);
    const newCipher = new TokenCipher(tokenKeySetAt(current, 'secret', at(DAY + HOUR)));
    expect(refreshed.resolve(newCipher.issue(7, window))?.device).toBe(7);
  });

  it('refuses a secret whose rotation is not enabled, and a version that is not pending', async () => {
    sm.create('not-rotated', JSON.stringify({ keys: [] }), false);
    await expect(rotateTokenKeys(client, { Step: 'createSecret', SecretId: 'not-rotated', ClientRequestToken: 'x' }, POLICY, T0)).rejects.toThrow(/rotation is not enabled/);
    await expect(rotateTokenKeys(client, { Step: 'createSecret', SecretId: SECRET, ClientRequestToken: 'unknown' }, POLICY, T0)).rejects.toThrow(/has no stage/);
  });
});
