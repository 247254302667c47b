import { join } from 'node:path';
import type { ExposurePolicy } from '../../../backend/src/domain/exposure/exposure-policy.js';
import { buildTown } from '../town/build-town.js';
import { coStays } from '../town/co-presence.js';
import type { Town } from '../town/town-model.js';
import { ruleTruth, type CaseTruth } from '../truth/rule-truth.js';
import { configOf, demoBackendEnv } from './backend-env.js';
import type { LiveState } from './live-state.js';
import { judgeRun, policyLabel, type PolicyOutcome } from './policy-outcome.js';
import { runTown } from './town-run.js';

export interface DemoSessionOptions {
  seed: number;
  people: number;
  days: number;
  speed: number | 'max';
  /** Epoch ms of the town's first midnight. */
  start: number;
  /** The environment the demo was started with: its policy settings are the first policy's. */
  baseEnv: Record<string, string | undefined>;
  /** BACKEND=aws and the services' settings for each run (`--backend aws`); the embedded backend without. */
  awsEnvForRun?: ((run: number) => Promise<Record<string, string>>) | undefined;
  /** A second policy to replay the same town under (`--compare-policy`). */
  comparePolicy?: Record<string, string> | undefined;
  /** Where each run's data and backend log go. */
  runDir: string;
  signal?: AbortSignal | undefined;
  onState?: ((state: LiveState, run: number) => void) | undefined;
  /** Called before each run starts (the view starts a new frame). */
  onRunStart?: ((label: string, run: number) => void) | undefined;
}

export interface DemoSession {
  town: Town;
  outcomes: PolicyOutcome[];
  aborted: boolean;
}

interface PlannedRun {
  label: string;
  env: Record<string, string>;
  policy: ExposurePolicy;
  truth: CaseTruth[];
}

/**
 * The whole demo without its view: the seeded town, the truth of each policy, and one run of the
 * town on the real stack per policy (the same town, a fresh backend each time), each judged from
 * what the API and the stores say. The caller closes each outcome's run.
 */
export async function runDemoSession(options: DemoSessionOptions): Promise<DemoSession> {
  const town = buildTown({ seed: options.seed, people: options.people, days: options.days, start: options.start });
  const together = coStays(town.stays, town.rooms, town.air.rangeM);
  const policies = [undefined, options.comparePolicy].filter((p, i) => i === 0 || p !== undefined);
  const planned: PlannedRun[] = [];
  for (const [i, policy] of policies.entries()) {
    const aws = await options.awsEnvForRun?.(i);
    const env = demoBackendEnv({ base: options.baseEnv, dataDir: join(options.runDir, `run-${i + 1}`, 'data'), days: options.days, policy, aws });
    const exposurePolicy = configOf(env).exposurePolicy;
    planned.push({ label: policyLabel(exposurePolicy), env, policy: exposurePolicy, truth: ruleTruth(town, together, exposurePolicy) });
  }
  const outcomes: PolicyOutcome[] = [];
  for (const [i, plan] of planned.entries()) {
    if (options.signal?.aborted) break;
    options.onRunStart?.(plan.label, i);
    const run = await runTown({
      town,
      env: plan.env,
      identityOnWallClock: plan.env.BACKEND === 'aws',
      speed: options.speed,
      runDir: join(options.runDir, `run-${i + 1}`),
      label: plan.label,
      signal: options.signal,
      onState: (state) => options.onState?.(state, i),
    });
    if (run.aborted) return { town, outcomes, aborted: true };
    outcomes.push(judgeRun(town, run, plan.truth, plan.label, plan.policy));
  }
  return { town, outcomes, aborted: options.signal?.aborted === true };
}
