import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpEvent, lambdaContext } from '../../support/embedded-services.js';

const LAMBDA_DIR = resolve(import.meta.dirname, '../../../backend/src/lambda');

/** Each Lambda entry builds its services from the environment at import time and exports a handler. */
describe('Lambda entry points', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'proxitrace-lambda-'));
    process.env.DATA_DIR = dataDir;
    process.env.LOG_LEVEL = 'SILENT';
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each(readdirSync(LAMBDA_DIR).filter((f) => f.endsWith('.ts')))('%s exports a handler', async (file) => {
    const module = (await import(join(LAMBDA_DIR, file))) as { handler: unknown };
    expect(typeof module.handler).toBe('function');
  });

  it('runs a request through an entry point', async () => {
    const { handler } = (await import(join(LAMBDA_DIR, 'request-sms-code.ts'))) as {
      handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; body: string }>;
    };
    const response = await handler(httpEvent('POST /v1/auth/sms', { phoneNumber: '+15550000001' }), lambdaContext());
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body)).toEqual({ challengeId: expect.any(String) });
  });
});
