import { createServer } from 'node:http';

/**
 * The trivial endpoint both generators hit, run in its own process so it gets its own core and the
 * comparison measures the generators rather than a server sharing their event loop.
 */
const body = Buffer.from('{"ok":true}');
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.send?.({ port: address.port });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
