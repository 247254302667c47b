import { z } from 'zod';
import { DESIGN_BASELINE, type CapacityAssumptions } from './assumptions.js';
import { DEPLOYMENT_ASSUMPTIONS, type DeploymentAssumptions } from './deployment.js';
import { anyCase } from '../../../backend/src/config/env-schema.js';
import { LIST_PRICES, PRICE_KEYS, withFlatPrice, type PriceKey, type PriceTable } from './prices.js';

/** `contactsPerUserPerDay` → `contacts-per-user-per-day`: every assumption is a flag of the same name. */
export const flagName = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export const ASSUMPTION_KEYS = Object.keys(DESIGN_BASELINE) as (keyof CapacityAssumptions)[];
export const DEPLOYMENT_KEYS = Object.keys(DEPLOYMENT_ASSUMPTIONS) as (keyof DeploymentAssumptions)[];

const deploymentSchema = z
  .object({
    signInsPerUserPerMonth: z.coerce.number().min(0).max(1000),
    searchBytesPerContact: z.coerce.number().positive(),
    searchFreeStorageFraction: z.coerce.number().min(0).lt(1),
    xraySampledFraction: z.coerce.number().min(0).max(1),
    receiptBytes: z.coerce.number().positive(),
    edgeResponseBytes: z.coerce.number().min(0),
    edgeRequestHeaderBytes: z.coerce.number().min(0),
    uploadBodyBytes: z.coerce.number().min(0),
  })
  .partial();

const positive = z.coerce.number().positive();
const fraction = z.coerce.number().min(0).lt(1);

const assumptionSchema = z
  .object({
    users: z.coerce.number().int().positive(),
    contactsPerUserPerDay: positive,
    duplicateFraction: fraction,
    activeHoursPerDay: z.coerce.number().positive().max(24),
    batchSize: z.coerce.number().int().min(1).max(50),
    tokenTtlMinutes: z.coerce.number().int().positive(),
    tokensPerCall: z.coerce.number().int().min(1).max(8),
    contactRecordBytes: positive,
    storageOverheadBytesPerItem: z.coerce.number().min(0),
    retentionDays: positive,
    writeUnitsPerObservation: z.coerce.number().min(0),
    notificationPollsPerUserPerDay: z.coerce.number().min(0),
    infectionReportsPerMillionUsersPerDay: z.coerce.number().min(0),
    consumerBatchSize: z.coerce.number().int().min(1).max(10_000),
    sqsRequestsPerMessage: positive,
    apiGateway: anyCase(['rest', 'http']),
    lambdaMemoryMb: z.coerce.number().int().min(128).max(10_240),
    apiLambdaDurationMs: positive,
    consumerLambdaDurationMs: positive,
    logBytesPerInvocation: z.coerce.number().min(0),
    daysPerMonth: positive,
    sessionDays: positive,
  })
  .partial();

const priceOverride = z
  .string()
  .regex(/^[A-Za-z]+=\d+(\.\d+)?$/, 'expected key=number')
  .transform((s) => {
    const [key, value] = s.split('=') as [string, string];
    return { key, value: Number(value) };
  })
  .refine((p) => (PRICE_KEYS as string[]).includes(p.key), {
    message: `unknown price key; one of ${PRICE_KEYS.join(', ')}`,
  });

export interface CapacityOptions {
  overrides: Partial<CapacityAssumptions>;
  deployment: DeploymentAssumptions;
  /** Which stage of infra/aws/config/stages.ts the deployed column prices. */
  stage: string;
  prices: PriceTable;
  json: boolean;
}

export type ParseResult = { ok: true; options: CapacityOptions } | { ok: false; problems: string[] };

/** Validates raw parseArgs values; every problem is reported at once, naming its flag. */
export function parseCapacityOptions(values: Record<string, unknown>): ParseResult {
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  for (const key of ASSUMPTION_KEYS) {
    const value = values[flagName(key)];
    if (value !== undefined) raw[key] = value;
  }
  const parsed = assumptionSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`--${flagName(String(issue.path[0]))}: ${issue.message}`);
    }
  }
  const rawDeployment: Record<string, unknown> = {};
  for (const key of DEPLOYMENT_KEYS) {
    const value = values[flagName(key)];
    if (value !== undefined) rawDeployment[key] = value;
  }
  const deployment = deploymentSchema.safeParse(rawDeployment);
  if (!deployment.success) for (const issue of deployment.error.issues) problems.push(`--${flagName(String(issue.path[0]))}: ${issue.message}`);
  let prices = LIST_PRICES;
  for (const text of (values.price as string[] | undefined) ?? []) {
    const p = priceOverride.safeParse(text);
    if (p.success) prices = withFlatPrice(prices, p.data.key as PriceKey, p.data.value);
    else problems.push(`--price ${text}: ${p.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length > 0 || !parsed.success || !deployment.success) return { ok: false, problems };
  return {
    ok: true,
    options: {
      overrides: parsed.data as Partial<CapacityAssumptions>,
      deployment: { ...DEPLOYMENT_ASSUMPTIONS, ...(deployment.data as Partial<DeploymentAssumptions>) },
      stage: typeof values.stage === 'string' ? values.stage : 'prod',
      prices,
      json: values.json === true,
    },
  };
}
