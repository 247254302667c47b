import { cognitoIdentity } from '../composition/aws-parts/identity.js';
import { relay } from '../composition/aws-parts/relay.js';
import { makeGetRelayOperations } from '../handlers/relay-handlers.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('GET /v1/admin/relay-operations', makeGetRelayOperations, { relay, identity: cognitoIdentity });
