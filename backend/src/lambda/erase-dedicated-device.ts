import { cognitoIdentity } from '../composition/aws-parts/identity.js';
import { relayRecords } from '../composition/aws-parts/relay.js';
import { tokenCipher } from '../composition/aws-parts/token-cipher.js';
import { refreshFamilies } from '../composition/aws-parts/sign-in.js';
import { analytics, contacts, devices, ledger, outbox, pseudonymKeys, queue, reports, tokenFlags, tokenRegistry } from '../composition/aws-parts/stores.js';
import { makeEraseDedicatedDevice } from '../handlers/dedicated-erasure-handler.js';
import { httpFunction } from './support/http-function.js';

export const handler = await httpFunction('POST /v1/dedicated-devices/erasure', makeEraseDedicatedDevice, {
  cipher: tokenCipher,
  identity: cognitoIdentity,
  relay: relayRecords,
  devices,
  tokenRegistry,
  contacts,
  ledger,
  reports,
  outbox,
  tokenFlags,
  analytics,
  pseudonymKeys,
  queue,
  refreshFamilies,
});
