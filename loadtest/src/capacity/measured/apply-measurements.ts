import type { CapacityAssumptions } from '../assumptions.js';
import { computeCapacity } from '../model.js';
import { billedMs, consumerInvocation, gbSeconds, lambdaMsFromCpu, type ConsumerInvocation } from './lambda-duration.js';
import type { MeasuredInputs } from './measured-inputs.js';

export interface ApiDuration {
  /** Billed ms of one POST /v1/tokens, when measured. */
  tokenCallMs?: number;
  /** Billed ms of one upload of `batchSize` observations, when measured. */
  uploadMs?: number;
  /** The assumed duration every unmeasured request (polls, infection reports) keeps. */
  otherMs: number;
  /** Shares of API requests: token calls, uploads, the rest. */
  mix: { tokenCalls: number; uploads: number; other: number };
  /** The average over the mix: what replaces apiLambdaDurationMs. */
  averageMs: number;
}

export interface MeasuredProfile {
  assumptions: CapacityAssumptions;
  consumer?: ConsumerInvocation & { memoryMb: number };
  api?: ApiDuration & { memoryMb: number };
  /** Lambda GB-seconds per 1,000 contacts uploaded: the consumer's and the upload handler's. */
  gbSecondsPerThousandContacts?: { consumer?: number; upload?: number };
  /** The durations assumed before the measurements replaced them, for comparison. */
  assumed: Pick<CapacityAssumptions, 'apiLambdaDurationMs' | 'consumerLambdaDurationMs'>;
  /** Assumptions a flag set explicitly: they stay as given, measured or not. */
  keptByFlag: (keyof CapacityAssumptions)[];
}

/**
 * Replaces the assumed Lambda durations of a profile by what the measured CPU implies at its batch
 * sizes and memory: CPU-bound durations, so lower bounds (time waiting on DynamoDB, SQS or
 * OpenSearch is billed too, and no benchmark here measures it as Lambda would see it).
 */
export function applyMeasurements(
  a: CapacityAssumptions,
  m: MeasuredInputs,
  memory: { apiMb: number; consumerMb: number },
  explicit: ReadonlySet<keyof CapacityAssumptions> = new Set(),
): MeasuredProfile {
  const out: MeasuredProfile = { assumptions: { ...a }, assumed: { apiLambdaDurationMs: a.apiLambdaDurationMs, consumerLambdaDurationMs: a.consumerLambdaDurationMs }, keptByFlag: [] };
  const keep = (key: keyof CapacityAssumptions) => {
    if (!explicit.has(key)) return false;
    out.keptByFlag.push(key);
    return true;
  };
  if (m.consumerCpuPerContact && !keep('consumerLambdaDurationMs')) {
    const consumer = consumerInvocation({ cpuMicrosecondsPerContact: m.consumerCpuPerContact.value, messagesPerInvocation: a.consumerBatchSize, observationsPerMessage: a.batchSize, memoryMb: memory.consumerMb });
    out.consumer = { ...consumer, memoryMb: memory.consumerMb };
    out.assumptions.consumerLambdaDurationMs = consumer.durationMs;
    out.gbSecondsPerThousandContacts = { consumer: consumer.gbSecondsPerThousandContacts };
  }
  if ((m.registrationCpu || m.uploadCpuPerContact) && !keep('apiLambdaDurationMs')) {
    const api = apiDuration(a, m, memory.apiMb);
    out.api = { ...api, memoryMb: memory.apiMb };
    out.assumptions.apiLambdaDurationMs = api.averageMs;
    if (api.uploadMs !== undefined) out.gbSecondsPerThousandContacts = { ...out.gbSecondsPerThousandContacts, upload: gbSeconds(api.uploadMs, memory.apiMb) * (1_000 / a.batchSize) };
  }
  return out;
}

function apiDuration(a: CapacityAssumptions, m: MeasuredInputs, apiMb: number): ApiDuration {
  const f = computeCapacity(a);
  const tokenCalls = a.users * f.tokenCallsPerUserPerDay;
  const mix = { tokenCalls: tokenCalls / f.apiRequestsPerDay, uploads: f.uploadRequestsPerDay / f.apiRequestsPerDay, other: 0 };
  mix.other = 1 - mix.tokenCalls - mix.uploads;
  const tokenCallMs = m.registrationCpu ? billedMs(lambdaMsFromCpu(m.registrationCpu.value, apiMb)) : undefined;
  const uploadMs = m.uploadCpuPerContact ? billedMs(lambdaMsFromCpu(m.uploadCpuPerContact.value * a.batchSize, apiMb)) : undefined;
  const otherMs = a.apiLambdaDurationMs;
  const averageMs = mix.tokenCalls * (tokenCallMs ?? otherMs) + mix.uploads * (uploadMs ?? otherMs) + mix.other * otherMs;
  return { ...(tokenCallMs === undefined ? {} : { tokenCallMs }), ...(uploadMs === undefined ? {} : { uploadMs }), otherMs, mix, averageMs };
}
