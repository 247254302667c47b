import type { ProfileResult } from '../render.js';
import { FUNCTIONS } from '../../../../backend/src/lambda/functions.js';
import { gbSeconds, LAMBDA_MB_PER_VCPU, lambdaMsFromCpu } from './lambda-duration.js';
import type { Measured, MeasuredInputs } from './measured-inputs.js';

const num = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (share: number) => `${num(share * 100, 1)}%`;
const origin = (m: { file: string; measuredAt: string }) => `${m.file}, measured ${m.measuredAt}`;

/** What --measured replaced, from which file and date, how it was converted, and what stays assumed. */
export function renderMeasured(profiles: ProfileResult[], inputs: MeasuredInputs): string[] {
  const lines = ['Measured inputs (--measured): these replace the assumptions they measure'];
  const input = (label: string, m: Measured | undefined, unit: string, extra = '') => {
    if (m) lines.push(`  ${label}: ${num(m.value, 1)} ${unit} — ${m.source}${extra}`, `    from ${origin(m)}`);
  };
  const consumer = inputs.consumerCpuPerContact;
  input('consumer CPU per contact', consumer, 'µs', consumer ? `; ${consumer.caveat}; workload ${pct(consumer.duplicateShare)} duplicates` : '');
  input('upload handler CPU per contact', inputs.uploadCpuPerContact, 'µs', inputs.uploadCpuPerContact ? `; ${inputs.uploadCpuPerContact.caveat}` : '');
  input('token registration CPU', inputs.registrationCpu, 'µs per POST /v1/tokens', ' (one window per call)');
  const node = inputs.searchNodeCpuPerContact;
  input('OpenSearch node CPU per contact', node, 'µs', node ? `; workload ${pct(node.duplicateShare)} duplicates, one node, no replicas` : '');

  lines.push(`  Conversion: CPU time on one core ÷ Lambda's CPU share at the memory (one vCPU at ${num(LAMBDA_MB_PER_VCPU)} MB, in proportion below, at most one for one Node thread);`);
  lines.push('  API handlers billed in whole ms, rounded up. CPU-bound durations are lower bounds: waiting on DynamoDB, SQS or OpenSearch is billed too and not measured.');
  for (const p of profiles) {
    const m = p.measured;
    if (!m || !(m.consumer || m.api || m.searchCpu || m.keptByFlag.length > 0)) continue;
    lines.push(`  ${p.name}:`);
    if (m.consumer) {
      const c = m.consumer;
      lines.push(
        `    consumer: ${num(p.assumptions.consumerBatchSize)} messages × ${p.assumptions.batchSize} observations = ${num(c.contactsPerInvocation)} contacts × ${num(consumer!.value, 1)} µs = ${num(c.cpuMsPerInvocation, 1)} ms CPU ÷ ${num(c.cpuShare, 3)} vCPU (${c.memoryMb} MB) = ${num(c.durationMs, 1)} ms per invocation (assumed ${num(m.assumed.consumerLambdaDurationMs)} ms)`,
      );
      const duplicates = p.assumptions.duplicateFraction;
      if (Math.abs(duplicates - consumer!.duplicateShare) > 0.1) lines.push(`      the model's duplicate share is ${pct(duplicates)}, the benchmark's ${pct(consumer!.duplicateShare)}: merges and inserts may cost differently`);
    }
    if (m.api) {
      const a = m.api;
      const part = (label: string, share: number, ms: number | undefined, measured: boolean) => `${label} ${pct(share)} × ${num(ms ?? a.otherMs, 1)} ms${measured ? '' : ' assumed'}`;
      lines.push(
        `    API (${a.memoryMb} MB): ${part('token calls', a.mix.tokenCalls, a.tokenCallMs, a.tokenCallMs !== undefined)}, ${part('uploads', a.mix.uploads, a.uploadMs, a.uploadMs !== undefined)}, ${part('other requests', a.mix.other, a.otherMs, false)} = ${num(a.averageMs, 2)} ms average (assumed ${num(m.assumed.apiLambdaDurationMs)} ms)`,
      );
    }
    const g = m.gbSecondsPerThousandContacts;
    if (g) {
      const parts = [g.consumer !== undefined ? `consumer ${num(g.consumer, 4)}` : undefined, g.upload !== undefined ? `upload handler ${num(g.upload, 4)}` : undefined].filter(Boolean);
      lines.push(`    Lambda GB-seconds per 1,000 contacts: ${parts.join(', ')}${g.consumer !== undefined && g.upload !== undefined ? `, together ${num(g.consumer + g.upload, 4)}` : ''}`);
    }
    if (m.searchCpu) lines.push(`    ${m.searchCpu.headroom >= 1 ? 'enough' : 'NOT enough'} OpenSearch CPU (see the deployed notes below)`);
    for (const key of m.keptByFlag) lines.push(`    --${key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)} was given as a flag: kept, not replaced`);
  }
  if (inputs.coldStarts) {
    const cold = inputs.coldStarts;
    lines.push('  cold starts, median initialisation per function; not priced: the model has no rate of cold starts', `    from ${origin(cold)}`);
    for (const f of cold.functions) {
      const memoryMb = FUNCTIONS.find((spec) => spec.id === f.id)?.memoryMb;
      const onLambda = memoryMb ? lambdaMsFromCpu(f.initCpuMs * 1_000, memoryMb) : undefined;
      const priced = memoryMb && onLambda !== undefined ? ` → ${num(onLambda)} ms at ${memoryMb} MB = ${num(gbSeconds(onLambda, memoryMb), 3)} GB-s per cold start` : '';
      lines.push(`    ${f.id}: ${num(f.initCpuMs)} ms CPU (${num(f.initMs)} ms wall on the benchmark's machine)${priced}`);
    }
  }
  lines.push('  Still assumed:');
  if (!consumer) lines.push('    consumer duration (no bench:ingest result)');
  if (!inputs.registrationCpu) lines.push('    token call duration (no bench:ingest result with registration CPU)');
  if (!inputs.uploadCpuPerContact) lines.push('    upload handler duration (needs an embedded bench:ingest result: with BACKEND=aws the upload handlers share the consumer\'s thread)');
  lines.push('    notification polls and infection reports (no benchmark measures their CPU); every time spent waiting on I/O; that this machine\'s core does as much per second as a Lambda or Graviton vCPU');
  if (!node) lines.push('    OpenSearch CPU (no bench:search-ingest or bench:ingest --backend aws result): not checked');
  for (const file of inputs.unused) lines.push(`  read but not used (a newer or better-suited result gave the same inputs): ${file}`);
  return lines;
}
