import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkError } from '../../../device-bridge/src/upload/errors.js';
import { JsonHttp } from '../../../device-bridge/src/upload/http.js';
import { closedPort } from '../support/ports.js';

/** Real sockets misbehaving as networks do; the error says what happened, not "fetch failed". */
describe('network failures carry their cause', () => {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    server = undefined;
  });
  const listen = async (onConnection: (socket: Socket) => void) => {
    server = createServer((socket) => {
      sockets.add(socket);
      onConnection(socket);
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    return (server.address() as { port: number }).port;
  };
  const failure = async (url: string, timeoutMs = 5_000) => {
    const error = await new JsonHttp({ baseUrl: url, timeoutMs }).post('/v1/tokens', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    return (error as Error).message;
  };

  it('nothing listening: connection refused, with the address', async () => {
    const port = await closedPort();
    expect(await failure(`http://127.0.0.1:${port}`)).toBe(`connection refused to 127.0.0.1:${port}`);
  });

  it('the other side hangs up mid-request', async () => {
    const port = await listen((socket) => socket.once('data', () => socket.destroy()));
    expect(await failure(`http://127.0.0.1:${port}`)).toBe(`connection to 127.0.0.1:${port} closed by the other side`);
  });

  it('no answer within the timeout', async () => {
    const port = await listen(() => {});
    expect(await failure(`http://127.0.0.1:${port}`, 300)).toBe(`no answer from 127.0.0.1:${port} within 300ms`);
  });

  it('a host that does not exist', async () => {
    expect(await failure('http://proxitrace-bridge-test.invalid')).toMatch(/^(host not found: proxitrace-bridge-test\.invalid|could not resolve proxitrace-bridge-test\.invalid \(DNS not answering\))$/);
  });
});
