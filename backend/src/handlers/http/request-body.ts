import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { HttpError } from './http-error.js';

/**
 * Reads and validates a JSON body. Every failure is a 4xx naming what is wrong:
 * too large (413), not JSON (415/400) or not matching the schema (400 with each issue).
 */
export function parseJsonBody<S extends z.ZodType>(
  event: APIGatewayProxyEventV2,
  schema: S,
  options: { maxBytes: number; allowEmpty?: boolean },
): z.infer<S> {
  const raw = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const size = Buffer.byteLength(raw, 'utf8');
  if (size > options.maxBytes) {
    throw new HttpError(413, 'payload_too_large', `The body is ${size} bytes; the limit is ${options.maxBytes}.`, { limit: options.maxBytes, size });
  }
  const contentType = header(event, 'content-type');
  if (raw.trim() !== '' && contentType !== undefined && !/^application\/(.+\+)?json\b/i.test(contentType)) {
    throw new HttpError(415, 'unsupported_media_type', `Send the body as application/json, not ${contentType}.`);
  }
  let json: unknown;
  if (raw.trim() === '') {
    if (!options.allowEmpty) throw new HttpError(400, 'body_required', 'This request needs a JSON body.');
    json = {};
  } else {
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.', { reason: error instanceof Error ? error.message : String(error) });
    }
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message, code: i.code }));
    const first = issues[0]!;
    throw new HttpError(400, 'validation_failed', `Invalid request body: ${first.path || '(body)'} ${first.message}.`, { issues });
  }
  return result.data;
}

export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}
