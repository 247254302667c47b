import type { CapacityAssumptions } from './assumptions.js';

const SECONDS_PER_DAY = 86_400;
const DAYS_PER_YEAR = 365;

/** Traffic, messaging and storage volumes derived from the assumptions. */
export interface CapacityFigures {
  contactsPerDay: number;
  /** Unique (deduplicated) contacts kept per user per day. */
  storedContactsPerUserPerDay: number;
  storedContactsPerDay: number;
  /** Observations per second during the active part of the day, one request each. */
  uploadTpsUnbatched: number;
  /** Upload requests per second during the active part of the day, batched. */
  uploadTpsBatched: number;
  uploadRequestsPerDay: number;
  /** One SQS message per accepted batch. */
  sqsMessagesPerDay: number;
  tokenCallsPerUserPerDay: number;
  /** POST /v1/tokens calls per second, spread over the whole day (tokens rotate around the clock). */
  registrationTps: number;
  /** What registration TPS would be if every call fetched a single window. */
  registrationTpsWithoutPrefetch: number;
  notificationPollsPerDay: number;
  infectionReportsPerDay: number;
  apiRequestsPerDay: number;
  apiLambdaInvocationsPerDay: number;
  consumerLambdaInvocationsPerDay: number;
  lambdaInvocationsPerDay: number;
  storageBytesPerDay: number;
  storageBytesPerYear: number;
  /** Bytes held at steady state under the retention period, including per-item overhead. */
  retainedBytesBilled: number;
  /** SMS sign-ins per device per month: one per session. */
  smsPerDevicePerMonth: number;
  smsPerDay: number;
}

export function computeCapacity(a: CapacityAssumptions): CapacityFigures {
  const activeSeconds = a.activeHoursPerDay * 3_600;
  const contactsPerDay = a.users * a.contactsPerUserPerDay;
  const storedContactsPerUserPerDay = a.contactsPerUserPerDay * (1 - a.duplicateFraction);
  const storedContactsPerDay = a.users * storedContactsPerUserPerDay;
  const uploadRequestsPerDay = contactsPerDay / a.batchSize;

  const windowsPerDay = (24 * 60) / a.tokenTtlMinutes;
  const tokenCallsPerUserPerDay = windowsPerDay / a.tokensPerCall;
  const registrationTpsWithoutPrefetch = (a.users * windowsPerDay) / SECONDS_PER_DAY;

  const notificationPollsPerDay = a.users * a.notificationPollsPerUserPerDay;
  const infectionReportsPerDay = (a.users / 1_000_000) * a.infectionReportsPerMillionUsersPerDay;
  // An infection report needs a verification code issued by an official first: two calls.
  const apiRequestsPerDay =
    a.users * tokenCallsPerUserPerDay + uploadRequestsPerDay + notificationPollsPerDay + 2 * infectionReportsPerDay;
  const sqsMessagesPerDay = uploadRequestsPerDay;
  const consumerLambdaInvocationsPerDay = sqsMessagesPerDay / a.consumerBatchSize;

  const storageBytesPerDay = storedContactsPerDay * a.contactRecordBytes;
  const billedBytesPerDay = storedContactsPerDay * (a.contactRecordBytes + a.storageOverheadBytesPerItem);

  return {
    contactsPerDay,
    storedContactsPerUserPerDay,
    storedContactsPerDay,
    uploadTpsUnbatched: contactsPerDay / activeSeconds,
    uploadTpsBatched: uploadRequestsPerDay / activeSeconds,
    uploadRequestsPerDay,
    sqsMessagesPerDay,
    tokenCallsPerUserPerDay,
    registrationTps: registrationTpsWithoutPrefetch / a.tokensPerCall,
    registrationTpsWithoutPrefetch,
    notificationPollsPerDay,
    infectionReportsPerDay,
    apiRequestsPerDay,
    apiLambdaInvocationsPerDay: apiRequestsPerDay,
    consumerLambdaInvocationsPerDay,
    lambdaInvocationsPerDay: apiRequestsPerDay + consumerLambdaInvocationsPerDay,
    storageBytesPerDay,
    storageBytesPerYear: storageBytesPerDay * DAYS_PER_YEAR,
    retainedBytesBilled: billedBytesPerDay * a.retentionDays,
    smsPerDevicePerMonth: a.daysPerMonth / a.sessionDays,
    smsPerDay: a.users / a.sessionDays,
  };
}
