import { warningChannel } from '../composition/aws-parts/relay.js';
import { contacts, ledger, outbox, tokenFlags } from '../composition/aws-parts/stores.js';
import { makeTraceExposures } from '../handlers/trace-exposures.js';
import { composedFunction } from './support/composed-function.js';

export const handler = await composedFunction(makeTraceExposures, { channel: warningChannel, contacts, ledger, outbox, tokenFlags });
