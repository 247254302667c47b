import { renderResource, type PolicyStatement } from '../../infra/support/role-statements.js';

/**
 * A role's policy as units one can check calls against: each Allow statement's actions on its
 * resources, the resources written with friendly names (`table/devices`, `queue/contacts`,
 * `secret/tokenKeys`, `user-pool/devices`, `search-domain`, `log-group/<fn>`) instead of logical ids.
 */
export interface RolePolicy {
  allow: { actions: string[]; resources: string[] }[];
  deny: { actions: string[]; resources: string[] }[];
}

/** Cognito operations IAM does not authorise: the caller's access token, session or app client does (Cognito Developer Guide, "Using the Amazon Cognito user pools API"). */
export const COGNITO_TOKEN_AUTHORISED = new Set([
  'cognito-idp:InitiateAuth',
  'cognito-idp:RespondToAuthChallenge',
  'cognito-idp:AssociateSoftwareToken',
  'cognito-idp:VerifySoftwareToken',
  'cognito-idp:GetUser',
  'cognito-idp:GlobalSignOut',
  'cognito-idp:RevokeToken',
  'cognito-idp:SetUserMFAPreference',
  'cognito-idp:SignUp',
  'cognito-idp:ConfirmSignUp',
]);

/** Reads a role's statements, naming each resource by `names` (logical id → friendly name). */
export function rolePolicy(statements: PolicyStatement[], names: ReadonlyMap<string, string>): RolePolicy {
  const rename = (pattern: string) => {
    const [head, ...rest] = pattern.split(/(?=[./])/);
    return (names.get(head!) ?? head) + rest.join('');
  };
  const units = (st: PolicyStatement) => ({ actions: [st.Action].flat(), resources: [st.Resource].flat().map((r) => rename(renderResource(r))) });
  return { allow: statements.filter((s) => s.Effect === 'Allow').map(units), deny: statements.filter((s) => s.Effect === 'Deny').map(units) };
}

/** IAM's wildcard match: `*` any run of characters, `?` one. */
export function iamMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`);
  return regex.test(value);
}

/** Whether the policy lets the role call `action` on `resource` (an Allow matches and no Deny does). */
export function allows(policy: RolePolicy, action: string, resource: string): boolean {
  const matches = (st: { actions: string[]; resources: string[] }) => st.actions.some((a) => iamMatch(a, action)) && st.resources.some((r) => iamMatch(r, resource));
  return policy.allow.some(matches) && !policy.deny.some(matches);
}

const DYNAMO_READ = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'ConditionCheckItem', 'GetRecords', 'GetShardIterator', 'DescribeStream', 'ListStreams']);
const DYNAMO_WRITE = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
const SQS_SEND = new Set(['SendMessage']);
const SQS_CONSUME = new Set(['ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility']);
const SQS_STATS = new Set(['GetQueueAttributes', 'GetQueueUrl']);

/**
 * What an action lets a role do, at the grain the function registry grants it: DynamoDB `read`,
 * `write` or `describe` of a table, SQS `send`, `consume` or `stats` of a queue; every other
 * service's action is its own capability (each is listed one by one in the registry).
 */
export function capabilityOf(action: string): string {
  const [service, name] = action.split(':') as [string, string];
  if (service === 'dynamodb') return DYNAMO_READ.has(name) ? 'dynamodb:read' : DYNAMO_WRITE.has(name) ? 'dynamodb:write' : name === 'DescribeTable' ? 'dynamodb:describe' : action;
  if (service === 'sqs') return SQS_SEND.has(name) ? 'sqs:send' : SQS_CONSUME.has(name) ? 'sqs:consume' : SQS_STATS.has(name) ? 'sqs:stats' : action;
  return action;
}

/**
 * The policy's grants as capabilities on resources (`dynamodb:read table/devices`). A statement
 * that grants data access also carries what CDK's grant helpers add to it (DescribeTable with table
 * data, GetQueueAttributes and GetQueueUrl with messages, the table's indexes with its data); those
 * are part of that grant, not grants of their own.
 */
export function grantedCapabilities(policy: RolePolicy): string[] {
  const granted = new Set<string>();
  for (const st of policy.allow) {
    const capabilities = new Set(st.actions.map(capabilityOf));
    const companions = capabilities.size > 1 ? ['dynamodb:describe', 'sqs:stats'] : [];
    for (const capability of capabilities) {
      if (companions.includes(capability)) continue;
      // CDK adds the table's indexes to its data grants; a query of an index is a read of its table here.
      for (const resource of st.resources) if (!resource.includes('/index/')) granted.add(`${capability} ${resource}`);
    }
  }
  return [...granted].sort();
}

/** The granted capabilities that no call used: a call uses a grant when its capability is the grant's and its resource matches the grant's. */
export function unusedCapabilities(granted: string[], calls: { action: string; resource: string }[]): string[] {
  return granted.filter((grant) => {
    const [capability, resource] = grant.split(' ') as [string, string];
    return !calls.some((call) => capabilityOf(call.action) === capability && iamMatch(resource, call.resource.replace(/\/index\/.*$/, '')));
  });
}
