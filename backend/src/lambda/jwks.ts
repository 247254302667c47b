import { makeJwks } from '../handlers/operations-handlers.js';
import { httpFunction } from './support/http-function.js';

// Cognito publishes the pool's keys itself (COGNITO_JWKS_URI): this route has none to serve in AWS.
export const handler = await httpFunction('GET /.well-known/jwks.json', makeJwks, { jwks: () => undefined });
