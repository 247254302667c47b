/** A network failure as a person reads it: what happened, to which host, and the likely fix. */
export function describeNetworkError(error: unknown, url: URL): string {
  const e = error as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.code ?? e.cause?.code ?? e.name;
  const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where}: is the server running on that port?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${url.hostname} not found`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `connection to ${where} was closed before an answer`;
    case 'TimeoutError':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
      return `no answer from ${where} in time`;
    default:
      return `${code ?? 'error'} talking to ${where}: ${e.cause?.message ?? e.message ?? String(error)}`;
  }
}
