import type { FunctionSpec } from '../../../backend/src/lambda/functions.js';
import { resourcesOf, type Synthesized } from './synth.js';

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** A function's logical id in the template, found by its name. */
export function logicalIdOfFunction(s: Synthesized, spec: FunctionSpec): string {
  const found = resourcesOf(s.json, 'AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === `${s.config.prefix}${spec.id}`);
  if (!found) throw new Error(`no function ${spec.id}`);
  return found[0];
}

/** The logical id of a function's execution role. */
export function roleOfFunction(s: Synthesized, spec: FunctionSpec): string {
  return s.json.Resources[logicalIdOfFunction(s, spec)].Properties.Role['Fn::GetAtt'][0] as string;
}

/** Every statement of the identity policies attached to a role. */
export function statementsOfRole(s: Synthesized, roleId: string): PolicyStatement[] {
  return [...resourcesOf(s.json, 'AWS::IAM::Policy'), ...resourcesOf(s.json, 'AWS::IAM::ManagedPolicy')]
    .filter(([, p]) => ((p.Properties.Roles ?? []) as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as PolicyStatement[]);
}

const PSEUDO: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };

/**
 * A statement's resource as a readable pattern: a resource's ARN is its logical id
 * (`{"Fn::GetAtt": [X, "Arn"]}` and `{"Ref": X}` → `X`, another attribute → `X.Attr`), joins are
 * joined, the partition is `aws`; the region and account stay patterns (`*`), as a policy matches
 * them only within this account anyway.
 */
export function renderResource(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if ('Ref' in v) return PSEUDO[v.Ref as string] ?? (String(v.Ref).startsWith('AWS::') ? '*' : String(v.Ref));
  if ('Fn::GetAtt' in v) {
    const [id, attribute] = v['Fn::GetAtt'] as [string, string];
    return attribute === 'Arn' ? id : `${id}.${attribute}`;
  }
  if ('Fn::Join' in v) {
    const [separator, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(renderResource).join(separator);
  }
  return JSON.stringify(value);
}
