import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoUserPool, readCredentialsFile } from '../../../loadtest/src/auth/cognito-pool.js';
import { LocalSignUp } from '../../../loadtest/src/auth/local-signup.js';
import { HttpTarget } from '../../../loadtest/src/http/http-target.js';
import { SimulatedDevice } from '../../../loadtest/src/population/simulated-device.js';
import { startFakeApi } from '../support/fake-api.js';

const devices = (n: number) => Array.from({ length: n }, (_, i) => new SimulatedDevice(i, `+4477009${String(i).padStart(5, '0')}`));

describe('Class: CognitoUserPool', () => {
  let cognito: Server;
  let endpoint: string;
  const seenTargets: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'loadtest-creds-'));

  beforeAll(async () => {
    // Stands in for cognito-idp's InitiateAuth on 127.0.0.1 (via the file's `endpoint` override).
    cognito = createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        seenTargets.push(String(req.headers['x-amz-target']));
        const body = JSON.parse(text) as { AuthParameters: { USERNAME: string; PASSWORD: string } };
        const ok = body.AuthParameters.PASSWORD === 'right';
        res.writeHead(ok ? 200 : 400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(ok ? { AuthenticationResult: { AccessToken: `access-${body.AuthParameters.USERNAME}`, IdToken: `id-${body.AuthParameters.USERNAME}` } } : { message: 'Incorrect username or password.' }));
      });
    });
    await new Promise<void>((r) => cognito.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(cognito.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => cognito.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const writeFile = (content: unknown) => {
    const path = join(dir, `creds-${Math.random()}.json`);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it('signs users in with USER_PASSWORD_AUTH and sends the access token', async () => {
    const file = readCredentialsFile(
      writeFile({ region: 'eu-west-2', clientId: 'c', endpoint, users: [{ username: 'u0', password: 'right' }, { accessToken: 'pre-issued' }], official: { username: 'boss', password: 'right' } }),
    );
    const pool = new CognitoUserPool(file);
    const ds = devices(2);
    await pool.signInDevices(ds);
    expect(ds.map((d) => d.authorization)).toEqual(['Bearer access-u0', 'Bearer pre-issued']);
    expect(await pool.signInOfficial()).toBe('Bearer access-boss');
    expect(seenTargets.at(-1)).toBe('AWSCognitoIdentityProviderService.InitiateAuth');
  });

  it('refuses ID tokens: the backend verifies access tokens only', () => {
    expect(() => readCredentialsFile(writeFile({ region: 'r', clientId: 'c', tokenUse: 'id', users: [{ accessToken: 't' }] }))).toThrow(/tokenUse: must be "access"/);
  });

  it.each([
    [{ region: 'r', clientId: 'c', users: [] }, 'users'],
    [{ region: 'r', users: [{ accessToken: 't' }] }, 'clientId'],
  ])('rejects a malformed file, naming the field (%#)', (content, field) => {
    expect(() => readCredentialsFile(writeFile(content))).toThrow(field);
  });

  it.each([
    [{ users: [{ username: 'u0', password: 'wrong' }] }, 1, 'Incorrect username or password'],
    [{ users: [{ accessToken: 't' }] }, 2, 'holds 1 users but 2 devices'],
  ])('fails clearly when sign-in cannot succeed (%#)', async (users, deviceCount, message) => {
    const pool = new CognitoUserPool(readCredentialsFile(writeFile({ region: 'r', clientId: 'c', endpoint, ...users })));
    await expect(pool.signInDevices(devices(deviceCount))).rejects.toThrow(message);
  });
});

describe('Class: LocalSignUp', () => {
  it.each([
    [true, undefined],
    [false, 'DEV_SMS_ECHO=1'],
  ])('with the SMS code echoed: %s', async (echoSmsCode, failure) => {
    const api = await startFakeApi({ echoSmsCode, officialPhone: '+447700900001' });
    const target = new HttpTarget(api.url, 4);
    try {
      const signUp = new LocalSignUp(target, '+447700900001');
      const ds = devices(3);
      if (failure) {
        await expect(signUp.signInDevices(ds)).rejects.toThrow(failure);
      } else {
        await signUp.signInDevices(ds);
        expect(ds.every((d) => d.authorization.startsWith('Bearer ') && d.headers.authorization === d.authorization)).toBe(true);
        expect(await signUp.signInOfficial()).toMatch(/^Bearer /);
      }
    } finally {
      await target.close();
      await api.stop();
    }
  });
});

describe('Class: LocalSignUp, sessions', () => {
  it('refreshes the devices whose access token expires soon, with their refresh token, not a new sign-in', async () => {
    const api = await startFakeApi({ accessTokenSeconds: 60 });
    const target = new HttpTarget(api.url, 4);
    try {
      const signUp = new LocalSignUp(target, undefined);
      const ds = devices(3);
      await signUp.signInDevices(ds);
      const before = ds.map((d) => d.authorization);
      expect(await signUp.refreshDue(ds, Date.now())).toBe(0);
      expect(await signUp.refreshDue(ds, Date.now() + 120_000)).toBe(3);
      expect(api.counts.refreshes).toBe(3);
      expect(ds.map((d) => d.authorization)).not.toEqual(before);
      expect(await signUp.refreshDue(ds, Date.now() + 120_000)).toBe(3);
    } finally {
      await target.close();
      await api.stop();
    }
  });
});
