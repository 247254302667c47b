import { errorBodySchema } from '../src/api/schemas.js';
import { documentedStatuses, OPERATIONS } from '../src/api/openapi.js';
import type { FuzzRequest } from './request-arbitrary.js';

export interface FuzzResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/**
 * What must hold for every answer: no 5xx, only statuses the OpenAPI document declares for the
 * operation (404 or 405 with Allow elsewhere), JSON bodies, errors in the documented shape, a
 * Retry-After on every 429. An operation's declared alternative answer (GET /ready's 503 while a
 * dependency is slow) is not an error: its body must match its own schema. Returns the problems
 * found (none is a pass).
 */
export function checkResponse(request: FuzzRequest, response: FuzzResponse): string[] {
  const problems: string[] = [];
  const { status } = response;
  const op = operationOf(request);
  const alternative = op?.alternative?.status === status ? op.alternative : undefined;
  if (status >= 500 && !alternative) problems.push(`server error ${status}`);
  if (op && !documentedStatuses(op).includes(status)) problems.push(`status ${status} is not declared for ${op.method.toUpperCase()} ${op.path}`);
  if (!op && ![400, 404, 405, 413, 429].includes(status)) problems.push(`status ${status} for an undocumented request`);
  if (request.method === 'HEAD') return problems; // no body by definition
  if (!/^application\/json\b/.test(response.headers['content-type'] ?? '')) problems.push(`content-type ${response.headers['content-type'] ?? '(none)'}`);
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    problems.push(`body is not JSON: ${response.body.slice(0, 80)}`);
    return problems;
  }
  if (alternative) {
    if (!alternative.response.safeParse(json).success) problems.push(`${status} body does not match ${op!.path}'s schema for it: ${response.body.slice(0, 120)}`);
  } else if (status >= 400 && !errorBodySchema.safeParse(json).success) problems.push(`error body not in the documented shape: ${response.body.slice(0, 120)}`);
  if (status >= 200 && status < 300 && op && !op.response.safeParse(json).success) problems.push(`success body does not match ${op.path}'s schema`);
  if (status === 429 && !/^[1-9]\d*$/.test(response.headers['retry-after'] ?? '')) problems.push('429 without a Retry-After of whole seconds');
  if (status === 405 && !response.headers.allow) problems.push('405 without an Allow header');
  return problems;
}

/** The documented operation a request reaches, as the server's URL parsing sees its path. */
function operationOf(request: FuzzRequest) {
  const path = request.operation?.path ?? pathnameOf(request.path);
  return OPERATIONS.find((o) => o.method.toUpperCase() === request.method && o.path === path);
}

function pathnameOf(path: string): string | undefined {
  try {
    return new URL(path, 'http://fuzz').pathname;
  } catch {
    return undefined;
  }
}
