import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { loadBackendConfig } from '../../backend/src/config/backend-config.js';
import { createEmbeddedServices, type EmbeddedServices } from '../../backend/src/composition/embedded.js';
import { createLogger } from '../../backend/src/composition/logger.js';
import { localLambdaContext } from '../../backend/src/local/lambda-context.js';

export interface TestClock {
  now: () => Date;
  advance(ms: number): void;
}

export function testClock(start: Date): TestClock {
  let current = start.getTime();
  return { now: () => new Date(current), advance: (ms) => (current += ms) };
}

/** The embedded composition on a temp directory, with a controllable clock. */
export async function embeddedServices(options: { env?: Record<string, string>; clock: TestClock; dataDir?: string }) {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'proxitrace-svc-'));
  const config = loadBackendConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'SILENT', DEV_SMS_ECHO: '1', ...options.env });
  const services: EmbeddedServices = await createEmbeddedServices(config, createLogger(config), options.clock.now);
  return {
    services,
    dataDir,
    close: async (removeData = options.dataDir === undefined) => {
      await services.close();
      if (removeData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A minimal API Gateway HTTP API v2 event, as the local server or API Gateway builds it. */
export function httpEvent(routeKey: string, body?: unknown, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const [method, path] = routeKey.split(' ') as [string, string];
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    requestContext: {
      accountId: '0',
      apiId: 'test',
      domainName: 'test',
      domainPrefix: 'test',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'req',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  };
}

export const lambdaContext = (): Context => localLambdaContext('test');
