import { randomUUID } from 'node:crypto';
import { acceptContactBatch } from '../../src/application/accept-contact-batch.js';
import { issueVerificationCode } from '../../src/application/issue-verification-code.js';
import { reportInfection } from '../../src/application/report-infection.js';
import type { Device } from '../../src/domain/device.js';
import type { Observation } from '../../src/domain/contacts/observation.js';
import { maxNotifiedDegree } from '../../src/domain/exposure/exposure-policy.js';
import { encodeToken } from '../../src/domain/tokens/token-encoding.js';
import { windowContaining, windowStart } from '../../src/domain/tokens/token-window.js';
import { forEachConcurrently } from '../scale/consumers.js';
import type { OutbreakBackend } from './outbreak-backends.js';
import { devicesByDegree, outbreakTree, type OutbreakEdge } from './outbreak-tree.js';

export interface OutbreakFigures {
  /** Devices the case's chains reach under the policy. */
  reach: number;
  fanOut: number;
  warnedByDegree: Record<string, number>;
  /** From the case's first tracing task to the empty outbox (the stream's delivery lag included on AWS). */
  seconds: number;
  tasks: number;
  /** Calls into each port, by the tracer's invocations only. */
  portCalls: Record<string, number>;
  /** SQL statements (embedded) and HTTP requests per engine (AWS), by the tracer's invocations only. */
  statements: Record<string, number>;
  requests: Record<string, number>;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const UPLOADS_IN_FLIGHT = 16;

/**
 * One outbreak on a fresh set of devices: the contact tree of `outbreakTree`, each encounter 20
 * minutes at -60 dBm (exposing under the default policy) and uploaded by both sides through the
 * consumer, each degree meeting the next after its own exposure. Then the index case reports, and
 * the tracer runs to its fixpoint, timed and counted. Every device must end with one warning at
 * its degree in the tree: anything else fails the bench, since a fast wrong answer is no figure.
 */
export async function measureOutbreak(backend: OutbreakBackend, reach: number): Promise<OutbreakFigures> {
  const s = backend.services;
  const { config, cipher } = s;
  const maxDegree = maxNotifiedDegree(config.exposurePolicy);
  const { edges, fanOut } = outbreakTree(reach, maxDegree);
  const now = s.clock();
  const run = randomUUID();
  const devices: Device[] = new Array(reach + 1);
  await forEachConcurrently(reach + 1, UPLOADS_IN_FLIGHT, async (i) => void (devices[i] = await s.devices.ensureDevice(`outbreak-${run}-${i}`, now)));

  // Degree d meets its contacts 48 h before now, then each later degree a step later, all after onset.
  const stepMs = (36 * HOUR_MS) / maxDegree;
  const encounterOf = (depth: number) => {
    const window = windowContaining(new Date(now.getTime() - 48 * HOUR_MS + (depth - 1) * stepMs), config.tokenTtlMinutes);
    const start = windowStart(window).getTime();
    return { window, firstSeen: new Date(start + 30 * MINUTE_MS), lastSeen: new Date(start + 50 * MINUTE_MS), rssi: -60 };
  };
  const deps = { queue: s.queue, cipher, rules: config.sightingRules, clock: s.clock };
  const sighting = (of: Device, depth: number): Observation => {
    const { window, ...met } = encounterOf(depth);
    return { token: encodeToken(cipher.issue(of.number, window)), ...met };
  };
  const uploads = uploadsOf(edges, devices, sighting);
  await forEachConcurrently(uploads.length, UPLOADS_IN_FLIGHT, async (i) => void (await acceptContactBatch(deps, uploads[i]!.reporter, randomUUID(), uploads[i]!.observations)));
  await backend.drainQueue();
  // Pair tasks the uploads queued are not the case's tracing.
  await backend.traceUntilIdle();

  const { code } = await issueVerificationCode({ reports: s.reports, ttlMs: config.verificationCodeTtlMs, clock: s.clock }, 'bench-official');
  await reportInfection({ reports: s.reports, policy: config.exposurePolicy, clock: s.clock }, devices[0]!, code, new Date(now.getTime() - 72 * HOUR_MS));
  backend.cost.reset();
  const started = performance.now();
  const tasks = await backend.traceUntilIdle();
  const seconds = (performance.now() - started) / 1000;
  const figures = { portCalls: { ...backend.cost.portCalls }, statements: backend.cost.statements, requests: { ...backend.cost.requests } };

  const warnedByDegree = await checkWarnings(backend, edges, devices);
  return { reach, fanOut, warnedByDegree, seconds, tasks, ...figures };
}

/** Each parent uploads its children (batches of 50), each child its parent: both sides of every encounter. */
function uploadsOf(edges: readonly OutbreakEdge[], devices: readonly Device[], sighting: (of: Device, depth: number) => Observation) {
  const uploads: { reporter: Device; observations: Observation[] }[] = [];
  const childrenOf = new Map<number, OutbreakEdge[]>();
  for (const edge of edges) {
    const children = childrenOf.get(edge.parent);
    if (children) children.push(edge);
    else childrenOf.set(edge.parent, [edge]);
  }
  for (const [parent, children] of childrenOf) {
    for (let i = 0; i < children.length; i += 50) {
      uploads.push({ reporter: devices[parent]!, observations: children.slice(i, i + 50).map((e) => sighting(devices[e.child]!, e.depth)) });
    }
  }
  for (const edge of edges) uploads.push({ reporter: devices[edge.child]!, observations: [sighting(devices[edge.parent]!, edge.depth)] });
  return uploads;
}

async function checkWarnings(backend: OutbreakBackend, edges: readonly OutbreakEdge[], devices: readonly Device[]): Promise<Record<string, number>> {
  const warned: Record<string, number> = {};
  const wrong: string[] = [];
  await forEachConcurrently(edges.length, UPLOADS_IN_FLIGHT, async (i) => {
    const { child, depth } = edges[i]!;
    const warnings = await backend.services.ledger.notificationsFor(devices[child]!.number);
    if (warnings.length !== 1 || warnings[0]!.degree !== depth) wrong.push(`device ${child}: ${warnings.length} warnings (degrees ${warnings.map((w) => w.degree).join(', ') || 'none'}), expected one at degree ${depth}`);
    for (const w of warnings) warned[String(w.degree)] = (warned[String(w.degree)] ?? 0) + 1;
  });
  if (wrong.length > 0) throw new Error(`the tracer's answer is wrong for ${wrong.length} of ${edges.length} devices on ${backend.name}; first: ${wrong.sort()[0]}. Expected by degree ${JSON.stringify(devicesByDegree(edges))}`);
  return warned;
}
