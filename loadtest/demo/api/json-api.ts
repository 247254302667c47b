/** An API answer that was not 2xx, with the body's error code. */
export class ApiCallError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${method} ${path} → ${status} ${code}: ${message}`);
    this.name = 'ApiCallError';
  }
}

/** JSON over HTTP to API v1, for the calls the bridge core does not make (notifications, infections, officials). */
export class JsonApi {
  constructor(private readonly baseUrl: string) {}

  get<T>(path: string, bearer?: string): Promise<T> {
    return this.call<T>('GET', path, undefined, bearer);
  }

  post<T>(path: string, body: unknown, bearer?: string): Promise<T> {
    return this.call<T>('POST', path, body, bearer);
  }

  private async call<T>(method: string, path: string, body: unknown, bearer: string | undefined): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    const response = await fetch(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
    const text = await response.text();
    const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (response.ok) return parsed as T;
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiCallError(method, path, response.status, error?.code ?? `http_${response.status}`, error?.message ?? text.slice(0, 200));
  }
}
