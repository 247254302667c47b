import { analytics, contacts, devices, ledger, pseudonymKeys, reports } from '../composition/aws-parts/stores.js';
import { makeRunAnalytics } from '../handlers/analytics-handlers.js';
import { composedFunction } from './support/composed-function.js';

export const handler = await composedFunction(makeRunAnalytics, { contacts, ledger, reports, devices, analytics, pseudonymKeys });
