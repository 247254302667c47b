import { startLocalServer } from '../support/local-server.js';
import { describeDeviceFlow } from './device-flow.scenario.js';

/** The device flow against `npm start`'s program and its SQLite file (the scenario: device-flow.scenario.ts). */
describeDeviceFlow('device flow on the embedded local stack', async (env) => {
  const server = await startLocalServer({ env });
  return { url: server.url, jwksUrl: `${server.url}/.well-known/jwks.json`, stop: () => server.stop() };
});

/** The same with the consumers on the HTTP server's own thread (EMBEDDED_CONSUMER=inline) instead of a worker thread. */
describeDeviceFlow('device flow on the embedded local stack, consumers inline', async (env) => {
  const server = await startLocalServer({ env: { ...env, EMBEDDED_CONSUMER: 'inline' } });
  return { url: server.url, jwksUrl: `${server.url}/.well-known/jwks.json`, stop: () => server.stop() };
});
