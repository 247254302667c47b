import { SEARCH_INSTANCE_VCPUS } from '../prices.js';

export interface SearchCpuSizing {
  peakContactsPerSecond: number;
  nodeMicrosecondsPerContact: number;
  /** Every copy of a shard indexes the document: the primary and each replica. */
  copies: number;
  vcpusNeeded: number;
  vcpusConfigured: number;
  /** Configured ÷ needed: above 1 is spare CPU at the peak. */
  headroom: number;
}

/**
 * vCPUs of OpenSearch data nodes the peak contact rate keeps busy, from the node CPU one contact
 * cost on the benchmark's node (no replicas there), against the data nodes a stage configures.
 */
export function searchCpuSizing(input: { peakContactsPerSecond: number; nodeMicrosecondsPerContact: number; replicas: number; dataNodes: { instanceType: string; count: number } }): SearchCpuSizing {
  const perNode = SEARCH_INSTANCE_VCPUS[input.dataNodes.instanceType];
  if (perNode === undefined) throw new Error(`no vCPU count for ${input.dataNodes.instanceType}: add it to SEARCH_INSTANCE_VCPUS in loadtest/src/capacity/prices.ts`);
  const copies = 1 + input.replicas;
  const vcpusNeeded = (input.peakContactsPerSecond * input.nodeMicrosecondsPerContact * copies) / 1e6;
  const vcpusConfigured = perNode * input.dataNodes.count;
  return { peakContactsPerSecond: input.peakContactsPerSecond, nodeMicrosecondsPerContact: input.nodeMicrosecondsPerContact, copies, vcpusNeeded, vcpusConfigured, headroom: vcpusConfigured / vcpusNeeded };
}

/** One line, like the storage check's: needed against configured, enough or not, and the headroom. */
export function searchCpuNote(s: SearchCpuSizing, dataNodes?: { instanceType: string; count: number }): string {
  const n = (v: number, digits = 0) => v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const nodes = dataNodes ? ` (${dataNodes.count} × ${dataNodes.instanceType}, ${n(s.vcpusConfigured / dataNodes.count)} each)` : '';
  const verdict = s.headroom >= 1 ? `enough, headroom ${n(s.headroom, 2)}×` : `NOT enough: ${n(s.headroom, 2)}× of the need; raise the data nodes or cut the node CPU per contact`;
  return `search CPU at the peak: ${n(s.vcpusNeeded, 1)} vCPUs needed (${n(s.peakContactsPerSecond)} contacts/s × ${n(s.nodeMicrosecondsPerContact, 1)} µs measured × ${s.copies} copies), ${n(s.vcpusConfigured)} vCPUs configured${nodes} (${verdict})`;
}
