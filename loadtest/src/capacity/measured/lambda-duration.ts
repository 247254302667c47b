/**
 * Lambda gives a function CPU in proportion to its memory: the equivalent of one vCPU at 1,769 MB
 * (docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html). More memory adds vCPUs, which a
 * single-threaded Node handler cannot use: its share is capped at one.
 */
export const LAMBDA_MB_PER_VCPU = 1_769;

export function lambdaCpuShare(memoryMb: number): number {
  return Math.min(1, memoryMb / LAMBDA_MB_PER_VCPU);
}

/** Milliseconds a CPU-bound piece of work takes on Lambda, from its CPU time measured on a whole core. */
export function lambdaMsFromCpu(cpuMicroseconds: number, memoryMb: number): number {
  return cpuMicroseconds / 1_000 / lambdaCpuShare(memoryMb);
}

/** Lambda bills duration in whole milliseconds, rounded up. */
export function billedMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

export interface ConsumerInvocation {
  /** Observations one invocation applies: messages × observations per message, duplicates included (they are merged, not skipped). */
  contactsPerInvocation: number;
  cpuMsPerInvocation: number;
  cpuShare: number;
  durationMs: number;
  gbSecondsPerThousandContacts: number;
}

/** One consumer invocation, from the measured CPU per contact, at the batch sizes and memory configured. */
export function consumerInvocation(input: { cpuMicrosecondsPerContact: number; messagesPerInvocation: number; observationsPerMessage: number; memoryMb: number }): ConsumerInvocation {
  const contactsPerInvocation = input.messagesPerInvocation * input.observationsPerMessage;
  const cpuMicroseconds = contactsPerInvocation * input.cpuMicrosecondsPerContact;
  const durationMs = lambdaMsFromCpu(cpuMicroseconds, input.memoryMb);
  return {
    contactsPerInvocation,
    cpuMsPerInvocation: cpuMicroseconds / 1_000,
    cpuShare: lambdaCpuShare(input.memoryMb),
    durationMs,
    gbSecondsPerThousandContacts: gbSeconds(durationMs, input.memoryMb) * (1_000 / contactsPerInvocation),
  };
}

/** GB-seconds as Lambda bills them: seconds × memory in GB of 1,024 MB. */
export function gbSeconds(durationMs: number, memoryMb: number): number {
  return (durationMs / 1_000) * (memoryMb / 1_024);
}
