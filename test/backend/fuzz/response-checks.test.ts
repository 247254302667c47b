import { describe, expect, it } from 'vitest';
import { checkResponse } from '../../../backend/fuzz/response-checks.js';

const get = (path: string) => ({ method: 'GET', path, headers: {}, operation: { method: 'GET', path } });
const json = (status: number, body: unknown) => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const notReady = { status: 'not_ready', checks: { dynamodb: { ok: true, ms: 12 }, identity: { ok: false, ms: 2000, error: 'timed out after 2000 ms' } } };
const serverError = { error: { code: 'internal_error', message: 'Something went wrong', details: null } };

/** The fuzzer's verdict on one answer: what the OpenAPI document declares passes, nothing else. */
describe('Function: checkResponse', () => {
  it("passes GET /ready's declared 503, whose body is the readiness report (a slow dependency, not a crash)", () => {
    expect(checkResponse(get('/ready'), json(503, notReady))).toEqual([]);
  });

  it.each([
    ['a 503 on /ready without the readiness body', get('/ready'), json(503, serverError), /503 body does not match \/ready's schema/],
    ['a 500 on /ready', get('/ready'), json(500, serverError), /server error 500/],
    ['a 503 on an operation that declares none', get('/v1/notifications'), json(503, serverError), /status 503 is not declared for GET \/v1\/notifications/],
  ])('fails %s', (_name, request, response, problem) => {
    expect(checkResponse(request, response)).toContainEqual(expect.stringMatching(problem));
  });
});
