import type { AnalyticsRetention } from '../../ports/analytics-store.js';
import { analyticsIndexNames } from './analytics-indices.js';
import type { ContactIndexNames, ContactIndexSettings } from './contact-indices.js';
import { appliedBatchesIndexBody, contactTemplateBody } from './contact-search-requests.js';
import { installAnalyticsIndices } from './search-analytics-store.js';
import { searchRoleName, securityRoles, type SearchAccess } from './search-access.js';
import type { SearchEngine } from './search-engine.js';

/** The IAM role ARNs (security plugin "backend roles") to map to each access level. */
export type SearchRoleMappings = Partial<Record<Exclude<SearchAccess, 'admin'> | 'officials', readonly string[]>>;

export interface SearchSetupOptions {
  /** Days after which the retention policy deletes a daily contacts index (a backstop to the purge). */
  retentionDays: number;
  roleMappings?: SearchRoleMappings;
  /** Days each analytics index is kept (ANALYTICS_RETENTION_*); the analytics templates and their lifecycle policies. */
  analyticsRetention?: AnalyticsRetention;
}

export interface SearchSetupReport {
  retentionPolicy: 'installed' | 'unchanged' | 'unavailable';
  /** Security roles written, or `unavailable` without the security plugin. */
  securityRoles: number | 'unavailable';
  /** Who deletes expired analytics indices: the engine's lifecycle policies, or the retention purge alone. */
  analyticsRetention: 'engine' | 'purge only' | 'not installed';
}

const ISM_PLUGIN = 'opensearch-index-management';
const SECURITY_PLUGIN = 'opensearch-security';
/** Built-in role every Dashboards user needs besides read access to the data. */
const DASHBOARDS_USER_ROLE = 'opensearch_dashboards_user';

/**
 * Everything the search tier needs before the first contact is written, installed once per
 * deployment (the setup function in AWS, `npm run services`/`stack` and the tests locally) and
 * idempotent: the contacts index template, the applied-batches index, the
 * analytics templates with their lifecycle policies; on
 * OpenSearch with the plugins also the retention policy (ISM) and the security roles with their
 * mappings. Engines without a plugin (the local node, Elastic Cloud) skip its part.
 */
export async function setupSearch(
  engine: SearchEngine,
  names: ContactIndexNames,
  settings: ContactIndexSettings,
  options: SearchSetupOptions,
): Promise<SearchSetupReport> {
  await installContactIndices(engine, names, settings);
  const analyticsRetention = options.analyticsRetention
    ? await installAnalyticsIndices(engine, analyticsIndexNames(names.prefix), settings, options.analyticsRetention)
    : 'not installed';
  const plugins = await installedPlugins(engine);
  const retentionPolicy = plugins.has(ISM_PLUGIN) ? await putRetentionPolicy(engine, names, options.retentionDays) : 'unavailable';
  const roles = plugins.has(SECURITY_PLUGIN) ? await putSecurityRoles(engine, names, options.roleMappings ?? {}) : 'unavailable';
  return { retentionPolicy, securityRoles: roles, analyticsRetention };
}

/** The contacts index template and the applied-batches index (idempotent). */
export async function installContactIndices(engine: SearchEngine, names: ContactIndexNames, settings: ContactIndexSettings): Promise<void> {
  await engine.putIndexTemplate(names.template, contactTemplateBody(names, settings));
  await engine.createIndexIfMissing(names.appliedBatches, appliedBatchesIndexBody(settings));
}

/** ISM policy deleting each daily contacts index once it is older than the retention. */
export function retentionPolicyBody(names: ContactIndexNames, retentionDays: number): object {
  return {
    policy: {
      description: `Deletes ${names.contactsPattern} ${retentionDays + 1} days after creation (the retention purge drops them first).`,
      default_state: 'live',
      states: [
        { name: 'live', actions: [], transitions: [{ state_name: 'delete', conditions: { min_index_age: `${retentionDays + 1}d` } }] },
        { name: 'delete', actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: [names.contactsPattern], priority: 100 }],
    },
  };
}

export function retentionPolicyId(names: ContactIndexNames): string {
  return `${names.prefix}contacts-retention`;
}

async function installedPlugins(engine: SearchEngine): Promise<Set<string>> {
  const { statusCode, body } = await engine.request('GET', '/_cat/plugins?format=json');
  if (statusCode !== 200 || !Array.isArray(body)) return new Set();
  return new Set((body as { component?: string }[]).map((p) => p.component ?? ''));
}

async function putRetentionPolicy(engine: SearchEngine, names: ContactIndexNames, retentionDays: number): Promise<'installed' | 'unchanged'> {
  const path = `/_plugins/_ism/policies/${retentionPolicyId(names)}`;
  const wanted = retentionPolicyBody(names, retentionDays) as { policy: { states: unknown; ism_template: unknown } };
  const existing = await engine.request('GET', path);
  if (existing.statusCode === 200) {
    const current = existing.body as { _seq_no: number; _primary_term: number; policy: { states: unknown; ism_template: unknown[] } };
    const sameStates = JSON.stringify(current.policy.states) === JSON.stringify(wanted.policy.states);
    if (sameStates) return 'unchanged';
    await expectOk(engine.request('PUT', `${path}?if_seq_no=${current._seq_no}&if_primary_term=${current._primary_term}`, wanted), path);
    return 'installed';
  }
  await expectOk(engine.request('PUT', path, wanted), path);
  return 'installed';
}

async function putSecurityRoles(engine: SearchEngine, names: ContactIndexNames, mappings: SearchRoleMappings): Promise<number> {
  const roles = securityRoles(names);
  for (const [access, role] of Object.entries(roles) as [keyof typeof roles, (typeof roles)[keyof typeof roles]][]) {
    const name = searchRoleName(names, access);
    await expectOk(engine.request('PUT', `/_plugins/_security/api/roles/${name}`, role), `role ${name}`);
    await expectOk(
      engine.request('PUT', `/_plugins/_security/api/rolesmapping/${name}`, { backend_roles: [...(mappings[access] ?? [])] }),
      `role mapping ${name}`,
    );
  }
  if (mappings.officials?.length) await addDashboardsUsers(engine, mappings.officials);
  return Object.keys(roles).length;
}

/** Adds the officials' role to the built-in Dashboards user role, keeping whoever else it maps. */
async function addDashboardsUsers(engine: SearchEngine, backendRoles: readonly string[]): Promise<void> {
  const path = `/_plugins/_security/api/rolesmapping/${DASHBOARDS_USER_ROLE}`;
  const { statusCode, body } = await engine.request('GET', path);
  const current = statusCode === 200 ? ((body as Record<string, { backend_roles?: string[]; users?: string[] }>)[DASHBOARDS_USER_ROLE] ?? {}) : {};
  const merged = [...new Set([...(current.backend_roles ?? []), ...backendRoles])];
  await expectOk(engine.request('PUT', path, { backend_roles: merged, users: current.users ?? [] }), `role mapping ${DASHBOARDS_USER_ROLE}`);
}

async function expectOk(response: Promise<{ statusCode: number; body: unknown }>, what: string): Promise<void> {
  const { statusCode, body } = await response;
  if (statusCode < 200 || statusCode >= 300) throw new Error(`search setup: ${what} answered ${statusCode}: ${JSON.stringify(body)}`);
}
