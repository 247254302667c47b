import fc from 'fast-check';
import { brokenObject, invalidValue, validValue, type Components, type JsonSchema } from './json-schema-arbitrary.js';

/** One generated HTTP request; `operation` is the documented operation it aims at, if any. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
  operation?: { method: string; path: string } | undefined;
}

/** Real credentials the fuzzer mixes in, so bodies get past authentication. */
export interface FuzzCredentials {
  deviceToken?: string | undefined;
  officialToken?: string | undefined;
  refreshToken?: string | undefined;
}

interface OpenApiOperation {
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Components };
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
/** Just above the default MAX_BODY_BYTES (64 KiB): the 413 path. */
const OVERSIZED = 70 * 1024;

/**
 * Requests across every operation of the OpenAPI document (so operations added later are fuzzed
 * without a change here), and around them: valid and broken bodies, malformed JSON, wrong
 * content types, boundary values, real and forged credentials, unknown paths and methods.
 */
export function fuzzRequests(doc: OpenApiDocument, credentials: FuzzCredentials): fc.Arbitrary<FuzzRequest> {
  const components = doc.components?.schemas ?? {};
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));
  const documented = fc.constantFrom(...operations).chain(({ path, method, op }) =>
    fc.record({
      method: fc.constant(method),
      path: fc.constant(path),
      headers: headers(credentials),
      body: body(op, components),
      operation: fc.constant({ method, path }),
    }),
  );
  const knownPaths = [...new Set(operations.map((o) => o.path))];
  const elsewhere = fc.record({
    method: fc.constantFrom(...METHODS),
    path: fc.oneof(
      fc.constantFrom(...knownPaths),
      fc.constantFrom(...knownPaths).map((p) => `${p}/`),
      fc.constantFrom(...knownPaths).map((p) => p.toUpperCase()),
      fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
      fc.constantFrom('/', '//v1//tokens', '/v1/../v1/tokens', '/%00', '/v1/%2e%2e/admin/stats', `/${'a'.repeat(3000)}`, '/v1/tokens?count=9'),
    ),
    headers: headers(credentials),
    body: fc.option(fc.oneof(fc.json(), fc.string({ maxLength: 200 })), { nil: undefined }),
    operation: fc.constant(undefined),
  });
  return fc.oneof({ arbitrary: documented, weight: 9 }, { arbitrary: elsewhere, weight: 1 });
}

function body(op: OpenApiOperation, components: Components): fc.Arbitrary<string | undefined> {
  const schema = op.requestBody?.content['application/json']?.schema;
  const junk = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.json().map((j) => j.slice(0, Math.max(1, j.length - 1))),
    fc.constantFrom('{', '[', '{"a":', 'null', '""', '0', 'true', '{"__proto__":{"x":1}}', '\uFEFF{}', '{}'.repeat(1000)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.constant(`{"pad":"${'x'.repeat(OVERSIZED)}"}`),
  );
  if (!schema) return fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: junk, weight: 1 });
  const json = (a: fc.Arbitrary<unknown>) => a.map((v) => JSON.stringify(v));
  return fc.oneof(
    { arbitrary: json(validValue(schema, components)), weight: 3 },
    { arbitrary: json(brokenObject(schema, components)), weight: 4 },
    { arbitrary: json(invalidValue(schema, components)), weight: 1 },
    { arbitrary: junk, weight: 2 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

function headers(c: FuzzCredentials): fc.Arbitrary<Record<string, string>> {
  const real = [c.deviceToken, c.officialToken].filter((t): t is string => t !== undefined).map((t) => `Bearer ${t}`);
  const forged = fc.oneof(
    fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer x.y.z', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4IiwidG9rZW5fdXNlIjoiYWNjZXNzIn0.'),
    fc.string({ maxLength: 120 }).map((s) => `Bearer ${s}`),
    fc.constantFrom(...(c.refreshToken ? [`Bearer ${c.refreshToken}`] : ['Bearer rt1.x'])),
    fc.constantFrom(...(real.length > 0 ? real : ['Bearer none'])).map((t) => `${t.slice(0, -3)}abc`),
  );
  const authorization = real.length > 0 ? fc.oneof({ arbitrary: fc.constantFrom(...real), weight: 5 }, { arbitrary: forged, weight: 3 }) : forged;
  const contentType = fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 8 },
    { arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8', 'application/problem+json', 'multipart/form-data; boundary=x', '*/*', ''), weight: 2 },
  );
  return fc.record({ authorization, 'content-type': contentType }, { requiredKeys: [] }).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== '')));
}
