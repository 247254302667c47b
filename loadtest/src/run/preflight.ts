import type { ProcessProbe } from '../soak/process-probe.js';
import { request } from 'undici';
import type { CredentialSource } from '../auth/credentials.js';
import type { Session } from '../auth/session.js';
import type { HttpTarget } from '../http/http-target.js';
import { describeNetworkError } from '../http/network-error.js';

const HEALTH_TIMEOUT_MS = 10_000;

/** The checks that failed, one line each; the run does not start. */
export class PreflightError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'PreflightError';
  }
}

export interface PreflightInput {
  /** The --target URL, with any stage path. */
  targetUrl: string;
  target: HttpTarget;
  credentials: CredentialSource;
  devices: number;
  /** Epoch ms by which the run (with its drain) is over: issued tokens must last that long or be renewable. */
  runEndsAtMs: number;
  /** --watch-pid with the probe that will read it, when the run watches the server process. */
  watch?: { pid: number; probe: ProcessProbe };
}

export interface PreflightResult {
  /** Signed in and allowed to read /v1/admin/stats; undefined when no official is configured. */
  official: Session | undefined;
  /** What was checked, for the log. */
  checked: string[];
}

/**
 * Before anything is signed up: the target answers as a Proxitrace API, the credentials can hold the
 * population, and the official really is an official. Each failure is one line that says what to fix.
 */
export async function preflight(input: PreflightInput): Promise<PreflightResult> {
  const checked = [await checkTarget(input.targetUrl)];
  const problems: string[] = [];
  const { credentials } = input;
  if (input.devices > credentials.maxDevices) {
    problems.push(`--devices ${input.devices}: ${credentials.description} can sign in at most ${credentials.maxDevices.toLocaleString('en-US')} devices (${credentials.maxDevicesReason})`);
  }
  const stranded = credentials.strandedBy(input.devices, input.runEndsAtMs);
  if (stranded.length > 0) {
    problems.push(
      `${stranded.length} issued access token(s) (first: ${stranded[0]}) expire before the run ends and have no refresh token: add their refreshToken, or a username and password, to --credentials`,
    );
  }
  let official: Session | undefined;
  if (credentials.officialLabel !== undefined) {
    const result = await checkOfficial(input.target, credentials, credentials.officialLabel);
    if (typeof result === 'string') problems.push(result);
    else {
      official = result;
      checked.push(`${credentials.officialLabel} signs in as an official`);
      if (credentials.officialNotice !== undefined) checked.push(credentials.officialNotice);
    }
  }
  if (input.watch && input.watch.probe.rssBytes(input.watch.pid) === undefined) {
    problems.push(`--watch-pid ${input.watch.pid}: no such process can be read on this machine (it needs Linux /proc and the server's PID)`);
  }
  if (problems.length > 0) throw new PreflightError(problems);
  return { official, checked };
}

async function checkTarget(targetUrl: string): Promise<string> {
  const url = new URL(`${targetUrl.replace(/\/+$/, '')}/health`);
  const problem = (what: string) => new PreflightError([`--target ${targetUrl}: ${what}`]);
  let status: number;
  let body: unknown;
  try {
    const response = await request(url, { method: 'GET', signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    status = response.statusCode;
    body = await response.body.json().catch(() => undefined);
  } catch (error) {
    throw problem(describeNetworkError(error, url));
  }
  if (status !== 200 || (body as { status?: unknown } | undefined)?.status !== 'ok') {
    throw problem(`GET ${url.pathname} answered ${status}, not the API's {"status":"ok"}: is this the Proxitrace API (with its stage, e.g. /prod)?`);
  }
  return `${url.origin}${url.pathname} answers`;
}

/** The official's session, or the line saying why there is none. */
async function checkOfficial(target: HttpTarget, credentials: CredentialSource, label: string): Promise<Session | string> {
  let session: Session | undefined;
  try {
    session = await credentials.signInOfficial();
  } catch (error) {
    return `${label}: cannot sign in: ${(error as Error).message}`;
  }
  if (session === undefined) return `${label}: no official session was issued`;
  const response = await target.json<{ error?: { code?: string; message?: string }; queue?: unknown }>('GET', '/v1/admin/stats', undefined, session.authorization);
  if (response.status === 200) return session;
  const error = response.body?.error;
  const reason = error ? `${error.code}: ${String(error.message).replace(/\.$/, '')}` : `HTTP ${response.status}`;
  if (response.status === 403) {
    return `${label}: signs in, but the server does not treat it as an official (403 ${reason}); add it to the server's OFFICIAL_PHONE_NUMBERS (or the officials group), or leave it out to run without infection reports and queue statistics`;
  }
  return `${label}: signs in, but GET /v1/admin/stats answered ${response.status} (${reason})`;
}
