import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authFlowOf, readCredentialsFile } from '../../../loadtest/src/auth/credentials-file.js';

describe('Function: readCredentialsFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loadtest-creds-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (content: unknown) => {
    const path = join(dir, `creds-${Math.random()}.json`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  const minimal = { region: 'eu-west-2', clientId: 'c', users: [{ username: 'u', password: 'p' }] };

  it('reads users given by password and by issued tokens', () => {
    const file = readCredentialsFile(write({ ...minimal, users: [...minimal.users, { accessToken: 'a', refreshToken: 'r' }] }));
    expect(file.users).toHaveLength(2);
  });

  it.each([
    [{ ...minimal, users: [] }, 'users'],
    [{ region: 'r', users: minimal.users }, 'clientId'],
    [{ ...minimal, tokenUse: 'id' }, 'tokenUse: the API accepts only Cognito access tokens'],
    [{ ...minimal, authFlow: 'ADMIN_USER_PASSWORD_AUTH' }, 'userPoolId: ADMIN_USER_PASSWORD_AUTH needs the user pool id'],
    [{ ...minimal, users: [{ username: 'u' }] }, 'users.0: expected { username, password, totpSecret? } or { accessToken, refreshToken? }'],
    [{ ...minimal, clientid: 'typo' }, 'clientid'],
    ['{ not json', 'JSON'],
  ])('refuses a malformed file in one line naming the field (%#)', (content, message) => {
    const path = write(content);
    expect(() => readCredentialsFile(path)).toThrow(message);
    expect(() => readCredentialsFile(path)).toThrow(`--credentials ${path}: `);
  });

  it('names a missing file', () => {
    expect(() => readCredentialsFile(join(dir, 'absent.json'))).toThrow(`--credentials ${join(dir, 'absent.json')}: no such file`);
  });
});

describe('Function: authFlowOf', () => {
  it.each([
    [{}, 'USER_PASSWORD_AUTH'],
    [{ authFlow: 'ADMIN_USER_PASSWORD_AUTH' as const }, 'ADMIN_USER_PASSWORD_AUTH'],
    [{ authFlow: 'USER_PASSWORD_AUTH' as const }, 'USER_PASSWORD_AUTH'],
  ])('%o signs in with %s', (file, flow) => expect(authFlowOf(file)).toBe(flow));
});
