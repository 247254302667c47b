import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal in-process stand-in for the device API v1, enough to test the load tool's own bookkeeping
 * without the real backend. It checks what matters to the tool: tokens observed must be real and in their
 * window, batch ids are stored once, and stats report what was processed.
 */
export interface FakeApi {
  url: string;
  counts: { batchesProcessed: number; observationsProcessed: number; unknownTokens: number; outOfWindow: number; infections: number; signIns: number; refreshes: number };
  stop(): Promise<void>;
}

export interface FakeApiOptions {
  officialPhone?: string;
  latencyMs?: number;
  echoSmsCode?: boolean;
  /** Issue a refresh token at sign-in and answer POST /v1/auth/refresh, rotating it (default true; false: an older server). */
  issueRefreshTokens?: boolean;
  /** Access tokens are unsigned JWTs whose `exp` is this far ahead (default an hour); expired ones are refused. */
  accessTokenTtlSeconds?: number;
  /** Verification codes the official may issue before the server answers 429, as its per-official quota does. */
  verificationCodeQuota?: number;
  /** Epoch ms by which access tokens are issued and judged expired (default Date.now). */
  authNow?: () => number;
}

function expired(token: string, nowMs: number): boolean {
  const payload = token.split('.')[1];
  if (payload === undefined) return false;
  const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { exp: number };
  return exp * 1000 <= nowMs;
}

/** An unsigned JWT-shaped token: the fake looks sessions up by the whole string, the tool reads `exp`. */
function accessToken(ttlSeconds: number, nowMs: number): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const iat = Math.floor(nowMs / 1000);
  return `${part({ alg: 'none' })}.${part({ jti: randomUUID(), iat, exp: iat + ttlSeconds })}.`;
}

const TTL_MS = 180 * 60_000;

export async function startFakeApi(options: FakeApiOptions = {}): Promise<FakeApi> {
  const challenges = new Map<string, { phone: string; code: string }>();
  const sessions = new Map<string, { phone: string }>();
  const refreshTokens = new Map<string, string>();
  const tokens = new Map<string, { from: number; until: number }>();
  const batches = new Set<string>();
  const codes = new Set<string>();
  const queue: number[] = [];
  const counts = { batchesProcessed: 0, observationsProcessed: 0, unknownTokens: 0, outOfWindow: 0, infections: 0, signIns: 0, refreshes: 0 };
  const authNow = options.authNow ?? Date.now;
  const issueSession = (phone: string) => {
    const token = accessToken(options.accessTokenTtlSeconds ?? 3_600, authNow());
    sessions.set(token, { phone });
    if (options.issueRefreshTokens === false) return { accessToken: token };
    const refreshToken = randomUUID();
    refreshTokens.set(refreshToken, phone);
    return { accessToken: token, refreshToken, expiresIn: options.accessTokenTtlSeconds ?? 3_600, refreshExpiresAt: new Date(authNow() + 86_400_000).toISOString() };
  };
  const processor = setInterval(() => {
    for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
      counts.batchesProcessed++;
      counts.observationsProcessed += n;
    }
  }, 50);

  const handle = async (req: IncomingMessage, body: any): Promise<[number, unknown]> => {
    const presented = (req.headers.authorization ?? '').replace('Bearer ', '');
    const auth = expired(presented, authNow()) ? undefined : sessions.get(presented);
    const route = `${req.method} ${req.url}`;
    if (route === 'GET /health') return [200, { status: 'ok' }];
    if (route === 'POST /v1/auth/refresh' && options.issueRefreshTokens !== false) {
      const phone = refreshTokens.get(body.refreshToken);
      refreshTokens.delete(body.refreshToken);
      if (phone === undefined) return [401, { error: { code: 'refresh_token_invalid', message: 'no such session', details: {} } }];
      counts.refreshes++;
      return [200, issueSession(phone)];
    }
    if (route === 'POST /v1/auth/sms') {
      const challengeId = randomUUID();
      const code = String(100_000 + Math.floor(Math.random() * 900_000));
      challenges.set(challengeId, { phone: body.phoneNumber, code });
      return [202, options.echoSmsCode === false ? { challengeId } : { challengeId, devCode: code }];
    }
    if (route === 'POST /v1/auth/official/sms') {
      if (body.phoneNumber !== options.officialPhone) return [202, { challengeId: randomUUID() }];
      const challengeId = randomUUID();
      const code = String(100_000 + Math.floor(Math.random() * 900_000));
      challenges.set(challengeId, { phone: body.phoneNumber, code });
      return [202, { challengeId, devCode: code }];
    }
    if (route === 'POST /v1/auth/verify' || route === 'POST /v1/auth/official/totp' || route === 'POST /v1/auth/official/verify') {
      const c = challenges.get(body.challengeId);
      challenges.delete(body.challengeId);
      if (!c || c.code !== body.code) return [401, { error: { code: 'code_mismatch', message: 'bad code', details: {} } }];
      if (route === 'POST /v1/auth/official/totp') return [200, { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x' }];
      if (route === 'POST /v1/auth/official/verify' && !/^\d{6}$/.test(body.totp)) return [401, { error: { code: 'totp_mismatch', message: 'bad code', details: {} } }];
      counts.signIns++;
      return [200, { ...issueSession(c.phone), deviceId: randomUUID() }];
    }
    if (!auth) return [401, { error: { code: 'unauthorized', message: 'no session', details: {} } }];
    const official = auth.phone === options.officialPhone;
    switch (route) {
      case 'POST /v1/tokens': {
        const start = Math.floor(Date.now() / TTL_MS) * TTL_MS;
        const issued = Array.from({ length: body.count ?? 1 }, (_, i) => {
          const token = randomBytes(16).toString('base64url');
          tokens.set(token, { from: start + i * TTL_MS, until: start + (i + 1) * TTL_MS });
          return { token, validFrom: new Date(start + i * TTL_MS).toISOString(), validUntil: new Date(start + (i + 1) * TTL_MS).toISOString() };
        });
        return [201, { tokens: issued }];
      }
      case 'POST /v1/contacts': {
        for (const o of body.observations) {
          const t = tokens.get(o.token);
          if (!t) counts.unknownTokens++;
          else if (Date.parse(o.firstSeen) < t.from || Date.parse(o.lastSeen) >= t.until) counts.outOfWindow++;
        }
        if (!batches.has(body.batchId)) {
          batches.add(body.batchId);
          queue.push(body.observations.length);
        }
        return [202, { batchId: body.batchId, accepted: body.observations.length }];
      }
      case 'GET /v1/notifications':
        return [200, { notifications: [] }];
      case 'POST /v1/admin/verification-codes': {
        if (!official) return [403, { error: { code: 'forbidden', message: 'officials only', details: {} } }];
        if (codes.size >= (options.verificationCodeQuota ?? Infinity)) {
          return [429, { error: { code: 'rate_limited', message: 'Too many requests (verification_codes_per_official_hour).', details: {} } }];
        }
        const code = randomBytes(4).toString('hex');
        codes.add(code);
        return [201, { code, expiresAt: new Date(Date.now() + 3_600_000).toISOString() }];
      }
      case 'POST /v1/infections':
        if (!codes.delete(body.verificationCode)) return [400, { error: { code: 'invalid_verification_code', message: 'x', details: {} } }];
        counts.infections++;
        return [202, {}];
      case 'GET /v1/admin/stats':
        if (!official) return [403, { error: { code: 'forbidden', message: 'officials only', details: {} } }];
        return [200, { queue: { backlog: queue.length, inFlight: 0, deadLettered: 0, oldestAgeSeconds: 0 }, ...counts, contactsStored: counts.observationsProcessed }];
      default:
        return [404, { error: { code: 'not_found', message: route, details: {} } }];
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      setTimeout(async () => {
        const [status, payload] = await handle(req, text ? JSON.parse(text) : {});
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      }, options.latencyMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    stop: async () => {
      clearInterval(processor);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
