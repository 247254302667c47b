import { purgeExtras } from '../composition/aws-parts/purge-extras.js';
import { analytics, contacts, devices, ledger, pseudonymKeys, queue, reports, tokenFlags, tokenRegistry } from '../composition/aws-parts/stores.js';
import { makePurgeExpiredData } from '../handlers/operations-handlers.js';
import { composedFunction } from './support/composed-function.js';

export const handler = await composedFunction(makePurgeExpiredData, { reports, queue, contacts, tokenFlags, ledger, tokenRegistry, devices, analytics, pseudonymKeys, purgeExtras });
