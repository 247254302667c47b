import { ApiError, NetworkError } from './errors.js';
import { describeNetworkFailure } from './network-cause.js';

export interface HttpResponse {
  status: number;
  body: unknown;
}

export interface JsonHttpOptions {
  baseUrl: string;
  timeoutMs?: number;
}

/** Minimal JSON-over-HTTP helper on Node's fetch (undici); maps failures to typed errors that say why. */
export class JsonHttp {
  private readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(options: JsonHttpOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** Resolves for 2xx; throws ApiError for HTTP errors and NetworkError when unreachable. */
  async post(path: string, body: unknown, bearer?: string): Promise<HttpResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new NetworkError(describeNetworkFailure(err, new URL(this.baseUrl + path), this.timeoutMs), err);
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown = undefined;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (res.status >= 200 && res.status < 300) return { status: res.status, body: parsed };
    const error = (parsed as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    throw new ApiError(
      res.status,
      typeof error?.code === 'string' ? error.code : `http_${res.status}`,
      typeof error?.message === 'string' ? error.message : text.slice(0, 200),
      parseRetryAfter(res.headers.get('retry-after')),
      parsed,
    );
  }
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
