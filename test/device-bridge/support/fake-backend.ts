import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedBatch {
  batchId: string;
  observations: { token: string; firstSeen: string; lastSeen: string; rssi?: number }[];
  deviceId: string;
}

/** Lets a test override one request: return true when it answered the request itself. */
export type Interceptor = (req: IncomingMessage, res: ServerResponse, body: unknown) => boolean;

/**
 * A small stand-in for the device-facing API v1 on 127.0.0.1, faithful to the pinned contract:
 * SMS sign-in with dev echo, grid-aligned token windows (same window → same token), idempotent
 * contacts by batchId. Real HTTP, so the bridge's client code runs unmodified.
 */
export async function startFakeBackend(options: { ttlMinutes?: number; now?: () => number; accessTokenSeconds?: number } = {}) {
  const ttlMs = (options.ttlMinutes ?? 180) * 60_000;
  const now = options.now ?? Date.now;
  const challenges = new Map<string, string>();
  const sessions = new Map<string, string>(); // accessToken → deviceId
  const refreshTokens = new Map<string, { deviceId: string; used: boolean }>(); // single use, reuse is refused
  const windows = new Map<string, string>(); // deviceId:index → token
  const tokenOwner = new Map<string, string>();
  const batches = new Map<string, ReceivedBatch>();
  const requests: { method: string; path: string; body: unknown; status: number }[] = [];
  const state = { interceptor: undefined as Interceptor | undefined, down: false, signIns: 0, refreshes: 0 };
  const session = (deviceId: string) => {
    const accessToken = randomBytes(16).toString('hex');
    const refreshToken = randomBytes(16).toString('hex');
    sessions.set(accessToken, deviceId);
    refreshTokens.set(refreshToken, { deviceId, used: false });
    return { accessToken, refreshToken, expiresIn: options.accessTokenSeconds ?? 3600, refreshExpiresAt: new Date(now() + 90 * 86_400_000).toISOString() };
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string) => send(res, status, { error: { code, message: code, details: {} } });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        return fail(res, 400, 'invalid_json');
      }
      const origEnd = res.end.bind(res);
      res.end = ((...args: Parameters<typeof origEnd>) => {
        requests.push({ method: req.method ?? '', path: req.url ?? '', body, status: res.statusCode });
        return origEnd(...args);
      }) as typeof res.end;
      if (state.down) return fail(res, 503, 'unavailable');
      if (state.interceptor?.(req, res, body)) return;
      route(req, res, body as Record<string, unknown> | undefined);
    });
  });

  const route = (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown> | undefined) => {
    const path = req.url ?? '';
    if (req.method === 'GET' && path === '/health') return send(res, 200, { status: 'ok' });
    if (req.method !== 'POST') return fail(res, 404, 'not_found');
    if (path === '/v1/auth/sms') {
      if (typeof body?.phoneNumber !== 'string' || !/^\+[1-9]\d{6,14}$/.test(body.phoneNumber)) return fail(res, 400, 'invalid_phone_number');
      const challengeId = randomUUID();
      const code = String(100000 + Math.floor(Math.random() * 900000));
      challenges.set(challengeId, code);
      return send(res, 202, { challengeId, devCode: code });
    }
    if (path === '/v1/auth/verify') {
      const code = challenges.get(String(body?.challengeId));
      if (code === undefined) return fail(res, 404, 'challenge_invalid');
      if (code !== body?.code) return fail(res, 401, 'code_mismatch');
      challenges.delete(String(body?.challengeId));
      const deviceId = randomUUID();
      state.signIns++;
      return send(res, 200, { ...session(deviceId), deviceId });
    }
    if (path === '/v1/auth/refresh') {
      const family = refreshTokens.get(String(body?.refreshToken));
      if (!family || family.used) return fail(res, 401, family ? 'refresh_token_reused' : 'refresh_token_invalid');
      family.used = true;
      state.refreshes++;
      return send(res, 200, session(family.deviceId));
    }
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const deviceId = auth === undefined ? undefined : sessions.get(auth);
    if (deviceId === undefined) return fail(res, 401, 'unauthorized');
    if (path === '/v1/tokens') {
      const count = body?.count ?? 1;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 8) return fail(res, 400, 'invalid_count');
      const first = Math.floor(now() / ttlMs);
      const tokens = [];
      for (let i = first; i < first + count; i++) {
        const key = `${deviceId}:${i}`;
        let token = windows.get(key);
        if (token === undefined) {
          token = randomBytes(16).toString('base64url');
          windows.set(key, token);
          tokenOwner.set(token, deviceId);
        }
        tokens.push({ token, validFrom: new Date(i * ttlMs).toISOString(), validUntil: new Date((i + 1) * ttlMs).toISOString() });
      }
      return send(res, 201, { tokens });
    }
    if (path === '/v1/contacts') {
      const observations = body?.observations;
      if (typeof body?.batchId !== 'string' || !Array.isArray(observations) || observations.length < 1 || observations.length > 50) return fail(res, 400, 'invalid_batch');
      if (!batches.has(body.batchId)) batches.set(body.batchId, { batchId: body.batchId, observations: observations as ReceivedBatch['observations'], deviceId });
      return send(res, 202, { batchId: body.batchId, accepted: observations.length });
    }
    return fail(res, 404, 'not_found');
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    state,
    batches,
    requests,
    tokenOwner,
    /** Every observation received once (idempotent batches), flattened. */
    observations: () => [...batches.values()].flatMap((b) => b.observations.map((o) => ({ ...o, observer: b.deviceId, owner: tokenOwner.get(o.token) }))),
    /** Access tokens stop working (as when they expire); refresh tokens still do. */
    revokeSessions: () => sessions.clear(),
    /** Every session ends: only a new SMS sign-in helps. */
    revokeRefreshTokens: () => {
      sessions.clear();
      refreshTokens.clear();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeBackend = Awaited<ReturnType<typeof startFakeBackend>>;
