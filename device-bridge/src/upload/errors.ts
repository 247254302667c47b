/** Base of the bridge's typed errors; `code` is stable and snake_case. */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The backend answered with an HTTP error. */
export class ApiError extends BridgeError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly retryAfterMs?: number,
    /** The parsed error body, for callers that read its details. */
    readonly body?: unknown,
  ) {
    super(code, `HTTP ${status} ${code}: ${message}`);
  }

  /** 401 means "sign in again"; 408, 429 and 5xx are worth retrying; any other 4xx is permanent. */
  get transient(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** The backend could not be reached (connection refused, reset, timeout). */
export class NetworkError extends BridgeError {
  constructor(message: string, cause?: unknown) {
    super('network_error', message, { cause });
  }
}

export class AuthError extends BridgeError {
  constructor(message: string, cause?: unknown) {
    super('auth_failed', message, { cause });
  }
}
