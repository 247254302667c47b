import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROUTE_KEYS } from '../../../backend/src/api/route-access.js';
import { ROUTES } from '../../../backend/src/handlers/routes.js';
import { deployStep, FUNCTIONS, functionFor } from '../../../backend/src/lambda/functions.js';

const LAMBDA_DIR = resolve(import.meta.dirname, '../../../backend/src/lambda');

describe('Lambda function registry', () => {
  it('lists every entry file in backend/src/lambda, and only files that exist', () => {
    const files = readdirSync(LAMBDA_DIR).filter((f) => f.endsWith('.ts') && f !== 'functions.ts');
    expect(FUNCTIONS.map((f) => f.entry).sort()).toEqual(files.sort());
    for (const f of FUNCTIONS) expect(existsSync(join(LAMBDA_DIR, f.entry))).toBe(true);
  });

  it('has unique ids usable in function and log group names', () => {
    const ids = FUNCTIONS.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9-]{1,40}$/);
  });

  it('gives every API route exactly one function, whose entry serves that route', () => {
    expect(Object.keys(ROUTES).sort()).toEqual([...ROUTE_KEYS].sort());
    for (const route of ROUTE_KEYS) {
      const serving = FUNCTIONS.filter((f) => f.trigger.kind === 'http' && f.trigger.route === route);
      expect(serving, route).toHaveLength(1);
      expect(readFileSync(join(LAMBDA_DIR, serving[0]!.entry), 'utf8')).toContain(`httpFunction('${route}'`);
    }
  });

  it.each(FUNCTIONS.map((f) => [f.id, f] as const))('%s has explicit, valid memory and timeout', (_id, f) => {
    expect(f.memoryMb).toBeGreaterThanOrEqual(128);
    expect(f.memoryMb).toBeLessThanOrEqual(10_240);
    expect(f.timeoutSeconds).toBeGreaterThanOrEqual(1);
    // API Gateway gives up after 30 s; anything behind it must answer sooner.
    if (f.trigger.kind === 'http') expect(f.timeoutSeconds).toBeLessThanOrEqual(29);
    else expect(f.timeoutSeconds).toBeLessThanOrEqual(900);
  });

  it('lets only the functions that issue or resolve tokens read the token keys, and only the rotation rotate them', () => {
    const holders = (level: string) => FUNCTIONS.filter((f) => f.access.secrets?.tokenKeys === level).map((f) => f.id).sort();
    expect(holders('read')).toEqual(['erase-dedicated-device', 'erase-me', 'process-contact-batches', 'register-dedicated-device', 'register-tokens', 'relay-batches', 'renew-bundle', 'submit-contacts']);
    expect(holders('rotate')).toEqual(['rotate-token-keys']);
  });

  it('gives one deploy step per setup and one function per non-HTTP trigger kind the stack wires once', () => {
    expect(deployStep('search-setup').id).toBe('setup-search');
    expect(deployStep('relay-keys').id).toBe('init-relay-keys');
    expect(FUNCTIONS.filter((f) => f.trigger.kind === 'queue')).toHaveLength(1);
    expect(FUNCTIONS.filter((f) => f.trigger.kind === 'secret-rotation')).toHaveLength(1);
    expect(functionFor('$default')?.id).toBe('fallback');
    const tracer = FUNCTIONS.find((f) => f.trigger.kind === 'table-stream');
    expect(tracer?.trigger).toMatchObject({ table: 'tracingOutbox' });
  });
});
