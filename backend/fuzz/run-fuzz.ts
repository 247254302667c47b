import fc from 'fast-check';
import { generateSync } from 'otplib';
import { Pool } from 'undici';
import { checkResponse } from './response-checks.js';
import { fuzzRequests, type FuzzCredentials, type FuzzRequest, type OpenApiDocument } from './request-arbitrary.js';

export interface FuzzOptions {
  baseUrl: string;
  requests: number;
  seed: number;
  concurrency: number;
  credentials: FuzzCredentials;
  onProgress?: (done: number) => void;
}

export interface FuzzFailure {
  /** Request number `index` of seed `seed`: `npm run fuzz -- --seed S --requests index+1` replays it. */
  index: number;
  request: FuzzRequest;
  status: number;
  problems: string[];
}

export interface FuzzReport {
  seed: number;
  requests: number;
  byStatus: Record<string, number>;
  /** Requests whose method, header or path the HTTP client itself refused to send. */
  unsendable: number;
  failures: FuzzFailure[];
  seconds: number;
}

const BATCH = 500;
const MAX_FAILURES_KEPT = 25;

/**
 * Sends `requests` generated requests (seeded: the same seed gives the same requests) and checks
 * every answer with checkResponse.
 */
export async function runFuzz(doc: OpenApiDocument, options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const arbitrary = fuzzRequests(doc, options.credentials);
  const pool = new Pool(options.baseUrl, { connections: options.concurrency, pipelining: 1 });
  const report: FuzzReport = { seed: options.seed, requests: 0, byStatus: {}, unsendable: 0, failures: [], seconds: 0 };
  try {
    for (let batch = 0; batch * BATCH < options.requests; batch++) {
      const count = Math.min(BATCH, options.requests - batch * BATCH);
      const requests = fc.sample(arbitrary, { seed: options.seed + batch, numRuns: count });
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const i = next++;
          await send(pool, requests[i]!, batch * BATCH + i, report);
          options.onProgress?.(report.requests + report.unsendable);
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
    }
  } finally {
    await pool.close();
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

async function send(pool: Pool, request: FuzzRequest, index: number, report: FuzzReport): Promise<void> {
  let status: number;
  let headers: Record<string, string | undefined>;
  let body: string;
  try {
    const response = await pool.request({
      method: request.method as 'GET',
      path: request.path,
      headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, printable(v)])),
      ...(request.body === undefined || request.method === 'GET' || request.method === 'HEAD' ? {} : { body: request.body }),
    });
    status = response.statusCode;
    headers = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
    body = await response.body.text();
  } catch (error) {
    if (error instanceof Error && /Invalid|invalid/.test(error.message)) {
      report.unsendable++;
      return;
    }
    throw error;
  }
  report.requests++;
  report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
  const problems = checkResponse(request, { status, headers, body });
  if (problems.length > 0 && report.failures.length < MAX_FAILURES_KEPT) {
    report.failures.push({ index, request: { ...request, body: request.body?.slice(0, 500) }, status, problems });
  } else if (problems.length > 0) {
    report.failures.push({ index, request: { method: request.method, path: request.path, headers: {} }, status, problems });
  }
}

/** Header values as HTTP can carry them. */
function printable(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?');
}

/**
 * Signs in a device and (when the server lists `officialPhone`) an official, through the echoed
 * SMS codes of a development server, so generated requests also carry real tokens.
 */
export async function signInForFuzzing(baseUrl: string, devicePhone: string, officialPhone?: string): Promise<FuzzCredentials> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, string> };
  };
  const sms = await post('/v1/auth/sms', { phoneNumber: devicePhone });
  if (!sms.body.devCode) throw new Error('the server does not echo SMS codes: start it with DEV_SMS_ECHO=1 to fuzz with real tokens');
  const device = await post('/v1/auth/verify', { challengeId: sms.body.challengeId, code: sms.body.devCode });
  const credentials: FuzzCredentials = { deviceToken: device.body.accessToken, refreshToken: device.body.refreshToken };
  if (officialPhone) {
    const enrolment = await post('/v1/auth/official/sms', { phoneNumber: officialPhone });
    const enrolled = enrolment.body.devCode ? await post('/v1/auth/official/totp', { challengeId: enrolment.body.challengeId, code: enrolment.body.devCode }) : undefined;
    if (enrolled?.status === 200) {
      const challenge = await post('/v1/auth/official/sms', { phoneNumber: officialPhone });
      const official = await post('/v1/auth/official/verify', { challengeId: challenge.body.challengeId, code: challenge.body.devCode, totp: generateSync({ secret: enrolled.body.secret! }) });
      credentials.officialToken = official.body.accessToken;
    }
  }
  return credentials;
}
