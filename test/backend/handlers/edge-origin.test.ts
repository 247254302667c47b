import { afterEach, describe, expect, it } from 'vitest';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import { viewerAddress } from '../../../backend/src/handlers/http/edge-origin.js';
import { embeddedServices, testClock } from '../../support/embedded-services.js';
import { handlerClient } from '../../support/handler-client.js';

const SECRET = 'Vq3h9Jx2Lr7Tn4Wc8Yp1Zk6Mb5Gd0Fs2Ha7Qe3Ru9Ti4Oy';
/** An address of CloudFront's edge fleet: behind the distribution, API Gateway sees every request come from one of these. */
const EDGE_SERVER = '130.176.0.10';
const phone = (i: number) => `+1555${String(3_000_000 + i).padStart(7, '0')}`;

describe('behind CloudFront (EDGE_ORIGIN_SECRET)', () => {
  let h: Awaited<ReturnType<typeof embeddedServices>> | undefined;
  afterEach(() => h?.close());
  const start = async (env: Record<string, string>) => {
    h = await embeddedServices({ clock: testClock(new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000)), env: { SIGN_IN_UNLIMITED_ADDRESSES: 'none', ...env } });
    const edge = handlerClient(h.services, { sourceIp: EDGE_SERVER });
    /** A request as the distribution relays it: the secret, and the viewer's address and port. */
    const relayed = (viewer: string, route: string, body?: unknown) => edge.call(route, body, { 'x-origin-verify': SECRET, 'cloudfront-viewer-address': viewer });
    return { edge, relayed };
  };

  it.each([
    ['no secret', {}],
    ['a wrong secret', { 'x-origin-verify': `${SECRET.slice(0, -1)}X` }],
    ['a secret of another length', { 'x-origin-verify': 'short' }],
  ])('refuses a request with %s, on every route, with 403 edge_required', async (_what, headers: Record<string, string>) => {
    const { edge } = await start({ EDGE_ORIGIN_SECRET: SECRET });
    for (const [route, body] of [['POST /v1/auth/sms', { phoneNumber: phone(1) }], ['GET /health', undefined], ['POST /v1/tokens', { count: 1 }], ['GET /v1/nowhere', undefined]] as const) {
      const refused = await edge.call(route, body, { ...headers, 'cloudfront-viewer-address': '203.0.113.7:443' });
      expect(refused.status, route).toBe(403);
      expect(refused.body, route).toEqual({ error: { code: 'edge_required', message: expect.any(String), details: null } });
    }
  });

  it('keys the per-address sign-in limits on the viewer CloudFront saw, not on the edge server that relayed it', async () => {
    const { relayed } = await start({ EDGE_ORIGIN_SECRET: SECRET, SIGN_IN_SMS_PER_ADDRESS_PER_HOUR: '2' });
    for (let i = 0; i < 2; i++) expect((await relayed(`203.0.113.7:${40_000 + i}`, 'POST /v1/auth/sms', { phoneNumber: phone(i) })).status).toBe(202);
    const limited = await relayed('203.0.113.7:40009', 'POST /v1/auth/sms', { phoneNumber: phone(2) });
    expect(limited.status).toBe(429);
    expect(limited.body.error.details.limit).toBe('sms_per_address_hour');
    // Another viewer through the same edge server, and IPv6 viewers (written unbracketed, port last), each have their own allowance.
    expect((await relayed('198.51.100.9:51000', 'POST /v1/auth/sms', { phoneNumber: phone(3) })).status).toBe(202);
    for (let i = 0; i < 2; i++) expect((await relayed('2001:db8::7:4431', 'POST /v1/auth/sms', { phoneNumber: phone(10 + i) })).status).toBe(202);
    expect((await relayed('2001:db8::7:4432', 'POST /v1/auth/sms', { phoneNumber: phone(12) })).status).toBe(429);
    expect((await relayed('2001:db8::8:4431', 'POST /v1/auth/sms', { phoneNumber: phone(13) })).status).toBe(202);
  });

  it('answers 500 in the API error shape when a relayed request carries no usable viewer address (the origin request policy is wrong)', async () => {
    const { edge } = await start({ EDGE_ORIGIN_SECRET: SECRET });
    for (const viewer of [undefined, 'not-an-address', '203.0.113.7']) {
      const response = await edge.call('POST /v1/auth/sms', { phoneNumber: phone(1) }, { 'x-origin-verify': SECRET, ...(viewer ? { 'cloudfront-viewer-address': viewer } : {}) });
      expect(response.status, String(viewer)).toBe(500);
      expect(response.body.error.code).toBe('internal_error');
    }
  });

  it('without EDGE_ORIGIN_SECRET, serves every request and ignores a CloudFront-Viewer-Address a client sends', async () => {
    const { edge } = await start({ SIGN_IN_SMS_PER_ADDRESS_PER_HOUR: '1' });
    const forged = (i: number) => edge.call('POST /v1/auth/sms', { phoneNumber: phone(i) }, { 'cloudfront-viewer-address': `203.0.113.${i}:443` });
    expect((await forged(1)).status).toBe(202);
    expect((await forged(2)).status).toBe(429);
  });

  it.each([
    ['198.51.100.7:4431', '198.51.100.7'],
    ['2001:db8::7:4431', '2001:db8::7'],
    ['::ffff:198.51.100.7:80', '::ffff:198.51.100.7'],
    ['198.51.100.7', undefined],
    ['198.51.100.7:', undefined],
    ['host.example:443', undefined],
    [':443', undefined],
    ['', undefined],
  ])('reads the viewer address of %j as %j', (header, address) => {
    expect(viewerAddress(header)).toBe(address);
  });

  it('takes a secret of at least 32 characters, or none, naming the variable otherwise', () => {
    expect(loadBackendConfig({ EDGE_ORIGIN_SECRET: SECRET }).edgeOriginSecret).toBe(SECRET);
    expect(loadBackendConfig({ EDGE_ORIGIN_SECRET: 'none' }).edgeOriginSecret).toBeUndefined();
    expect(loadBackendConfig({}).edgeOriginSecret).toBeUndefined();
    expect(() => loadBackendConfig({ EDGE_ORIGIN_SECRET: 'too-short' })).toThrow(/EDGE_ORIGIN_SECRET/);
  });
});
