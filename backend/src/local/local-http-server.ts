import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpLambda } from '../handlers/http/http-handler.js';
import { errorResponse } from '../handlers/http/responses.js';
import { apiGatewayEvent } from './api-gateway-event.js';
import { localLambdaContext } from './lambda-context.js';

export interface LocalHttpServerOptions {
  routes: Map<string, HttpLambda>;
  /** Bodies above this are refused before they are read in full, as API Gateway does. */
  maxBodyBytes: number;
  logger: Logger;
  /** One line per request: method, route (the matched template, never the raw path), status, duration. */
  accessLog?: boolean;
}

/**
 * Plays API Gateway on the local stack: matches the route, builds the v2 event and invokes the
 * very handler function Lambda runs. It holds no logic of its own beyond routing.
 */
export function createLocalHttpServer(options: LocalHttpServerOptions): Server {
  const server = createServer((request, response) => {
    handle(request, response, options).catch((error: unknown) => {
      options.logger.error('local server failed to answer', { error: error as Error });
      if (!response.headersSent) send(response, errorResponse(500, 'internal_error', 'The local server failed to answer.'));
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function handle(request: IncomingMessage, response: ServerResponse, options: LocalHttpServerOptions) {
  const url = parseUrl(request);
  if (!url) {
    request.resume();
    send(response, errorResponse(400, 'bad_request', 'The request target is not a valid URL.'));
    return;
  }
  const matched = `${request.method} ${url.pathname}`;
  const routeKey = options.routes.has(matched) ? matched : '$default';
  const handler = options.routes.get(routeKey)!;
  const context = localLambdaContext(routeKey);
  if (options.accessLog) logAccess(request, response, options.logger, routeKey, context.awsRequestId);
  const body = await readBody(request, options.maxBodyBytes);
  if (body === undefined) {
    send(response, errorResponse(413, 'payload_too_large', `The body exceeds the limit of ${options.maxBodyBytes} bytes.`, { limit: options.maxBodyBytes }));
    return;
  }
  const result = await handler(apiGatewayEvent(request, url, routeKey, body), context);
  send(response, result);
}

/** Logged when the answer has gone out, with the request id the handler's own lines carry. */
function logAccess(request: IncomingMessage, response: ServerResponse, logger: Logger, route: string, requestId: string): void {
  const started = performance.now();
  response.once('finish', () => {
    logger.info('request', {
      method: request.method,
      route: route === '$default' ? '$default' : route.slice(route.indexOf(' ') + 1),
      status: response.statusCode,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      requestId,
    });
  });
}

function parseUrl(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

/** Resolves undefined, without buffering the rest, once the body exceeds `limit`. */
function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const body = result.body ?? '';
  response.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>), 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
