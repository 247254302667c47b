import { formatDuration } from '../../../backend/src/config/duration-format.js';

/**
 * Says why a request never got an answer, from the error chain Node's fetch (undici) throws:
 * "connection refused to 127.0.0.1:3000" rather than "fetch failed".
 */
export function describeNetworkFailure(error: unknown, url: URL, timeoutMs: number): string {
  const target = url.host;
  const causes: Record<string, unknown>[] = [];
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    causes.push(e as Record<string, unknown>);
  }
  const name = causes.map((c) => c.name).find((n) => n === 'TimeoutError' || n === 'AbortError');
  if (name !== undefined) return `no answer from ${target} within ${formatDuration(timeoutMs)}`;
  const withCode = causes.find((c) => typeof c.code === 'string' && c.code !== 'UND_ERR_SOCKET') ?? causes.find((c) => typeof c.code === 'string');
  const code = withCode?.code as string | undefined;
  const address = typeof withCode?.address === 'string' ? `${withCode.address}${typeof withCode.port === 'number' ? `:${withCode.port}` : ''}` : target;
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused to ${address}`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `connection to ${target} closed by the other side`;
    case 'ENOTFOUND':
      return `host not found: ${url.hostname}`;
    case 'EAI_AGAIN':
      return `could not resolve ${url.hostname} (DNS not answering)`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connection to ${target} timed out`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no route to ${address} (network unreachable)`;
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `${target} stopped answering mid-request`;
    default:
      break;
  }
  if (code !== undefined && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS failure with ${target}: ${code}`;
  const deepest = causes.at(-1);
  const message = typeof deepest?.message === 'string' && deepest.message !== '' ? deepest.message : String(error);
  return `request to ${target} failed: ${code ? `${code} ` : ''}${message}`;
}
