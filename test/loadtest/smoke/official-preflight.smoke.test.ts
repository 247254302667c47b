import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLoadOptions } from '../../../loadtest/src/config/load-options.js';
import { HttpTarget } from '../../../loadtest/src/http/http-target.js';
import { credentialSource } from '../../../loadtest/src/run/credential-source.js';
import { PreflightError, preflight, type PreflightResult } from '../../../loadtest/src/run/preflight.js';
import { ApiClient } from '../../support/api-client.js';
import { startLocalServer, type LocalServer } from '../../support/local-server.js';

// One official per case: a TOTP code works once, and the server sends at most 3 SMS codes per number in 15 minutes
// (an enrolment takes one, each sign-in one).
const FRESH = '+447700900011';
const ENROLLED = '+447700900012';
const ENROLLED_NO_SECRET = '+447700900013';
const ENROLLED_WRONG_SECRET = '+447700900014';
const JUST_SIGNED_IN = '+447700900015';
const RESUMING = '+447700900016';
const NOT_AN_OFFICIAL = '+447700900999';
/** A valid base32 secret that no official enrolled. */
const SOMEONE_ELSES_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/** Enrols an authenticator through the API without signing in (so no code of it was used yet), as an official's app would. */
async function enrol(api: ApiClient, phoneNumber: string): Promise<string> {
  const challenge = await api.request('POST', '/v1/auth/official/sms', { phoneNumber });
  const enrolled = await api.request('POST', '/v1/auth/official/totp', { challengeId: challenge.body.challengeId, code: challenge.body.devCode });
  if (enrolled.status !== 200) throw new Error(`enrolment failed: ${JSON.stringify(enrolled.body)}`);
  return enrolled.body.secret as string;
}

describe('Smoke: the preflight signs officials in with their authenticator on the real local server', () => {
  let server: LocalServer;
  let api: ApiClient;
  const dir = mkdtempSync(join(tmpdir(), 'loadtest-officials-'));

  /** The preflight's result, or its problems, for these flags (a run's --out is new unless given). */
  async function check(flags: Record<string, string>): Promise<PreflightResult | string[]> {
    const parsed = parseLoadOptions({ target: server.url, out: mkdtempSync(join(dir, 'run-')), ...flags });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const target = new HttpTarget(parsed.options.target, 2);
    try {
      const credentials = credentialSource(parsed.options, target);
      return await preflight({ targetUrl: server.url, target, credentials, devices: 5, runEndsAtMs: Date.now() + 60_000 });
    } catch (error) {
      if (error instanceof PreflightError) return error.problems;
      throw error;
    } finally {
      await target.close();
    }
  }

  beforeAll(async () => {
    server = await startLocalServer({
      env: { OFFICIAL_PHONE_NUMBERS: [FRESH, ENROLLED, ENROLLED_NO_SECRET, ENROLLED_WRONG_SECRET, JUST_SIGNED_IN, RESUMING].join(',') },
    });
    api = new ApiClient(server.url);
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enrols a fresh official\u2019s authenticator, and says the secret to pass to later runs, which then sign in with it', async () => {
    const first = await check({ 'official-phone': FRESH });
    if (Array.isArray(first)) throw new Error(first.join('\n'));
    const notice = first.checked.find((line) => line.startsWith('enrolled an authenticator'));
    const secret = /--official-totp-secret ([A-Z2-7]+=*) /.exec(notice ?? '')?.[1];
    expect(notice).toBe(`enrolled an authenticator for ${FRESH}: pass --official-totp-secret ${secret} to later runs against this server`);
    const later = await check({ 'official-phone': FRESH, 'official-totp-secret': secret! });
    expect(Array.isArray(later) ? later : later.checked).toContain(`--official-phone ${FRESH} signs in as an official`);
  });

  it('resumes the official’s session of an earlier run with the same --out: more runs than the 3 SMS a number gets in 15 minutes', async () => {
    const out = mkdtempSync(join(dir, 'runs-'));
    const file = join(out, '.official-sessions.json');
    const first = await check({ 'official-phone': RESUMING, out });
    if (Array.isArray(first)) throw new Error(first.join('\n'));
    expect(first.checked.some((line) => line.startsWith(`enrolled an authenticator for ${RESUMING}`))).toBe(true);
    const stored: string[] = [];
    for (let run = 0; run < 3; run++) {
      stored.push(JSON.parse(readFileSync(file, 'utf8'))[`${server.url} ${RESUMING}`]);
      const later = await check({ 'official-phone': RESUMING, out });
      if (Array.isArray(later)) throw new Error(later.join('\n'));
      expect(later.checked).toEqual([
        `${server.url}/health answers`,
        `--official-phone ${RESUMING} signs in as an official`,
        `resumed its session of an earlier run (${file}): no SMS sent`,
      ]);
    }
    expect(new Set(stored).size).toBe(3);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('signs an enrolled official in with --official-totp-secret and gives a session that reads the stats', async () => {
    const secret = await enrol(api, ENROLLED);
    const result = await check({ 'official-phone': ENROLLED, 'official-totp-secret': secret });
    if (Array.isArray(result)) throw new Error(result.join('\n'));
    expect(result.checked).toEqual([`${server.url}/health answers`, `--official-phone ${ENROLLED} signs in as an official`]);
    const stats = await api.withToken(result.official!.accessToken).request('GET', '/v1/admin/stats');
    expect(stats.status).toBe(200);
  });

  it('signs in an official whose current code was just used elsewhere (a run right after another)', async () => {
    const { totpSecret } = await api.signInOfficial(JUST_SIGNED_IN);
    const result = await check({ 'official-phone': JUST_SIGNED_IN, 'official-totp-secret': totpSecret });
    expect(Array.isArray(result) ? result : result.checked).toContain(`--official-phone ${JUST_SIGNED_IN} signs in as an official`);
  });

  it.each([
    [
      'an enrolled official without --official-totp-secret',
      ENROLLED_NO_SECRET,
      undefined,
      'it already has an authenticator: pass its secret with --official-totp-secret (an earlier run that enrolled it printed it)',
    ],
    [
      'an --official-totp-secret that is not the official\u2019s',
      ENROLLED_WRONG_SECRET,
      SOMEONE_ELSES_SECRET,
      'its authenticator code was refused (totp_mismatch): --official-totp-secret is not the secret this official enrolled, or the clock of this machine is wrong',
    ],
    [
      'a number that is not one of the server\u2019s officials',
      NOT_AN_OFFICIAL,
      SOMEONE_ELSES_SECRET,
      "the server issued no code for it: it is not one of the server's OFFICIAL_PHONE_NUMBERS, or the server runs without DEV_SMS_ECHO=1",
    ],
  ])('refuses %s in one line that says what to fix', async (_case, phone, secret, reason) => {
    if (phone !== NOT_AN_OFFICIAL) await api.signInOfficial(phone);
    const flags: Record<string, string> = { 'official-phone': phone, ...(secret ? { 'official-totp-secret': secret } : {}) };
    expect(await check(flags)).toEqual([`--official-phone ${phone}: cannot sign in: ${reason}`]);
  });
});
