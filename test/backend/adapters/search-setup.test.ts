import { describe, expect, it } from 'vitest';
import { contactIndexNames, LOCAL_INDEX_SETTINGS } from '../../../backend/src/adapters/search/contact-indices.js';
import { retentionPolicyBody, setupSearch } from '../../../backend/src/adapters/search/search-setup.js';
import type { SearchEngine } from '../../../backend/src/adapters/search/search-engine.js';
import { securityRoles } from '../../../backend/src/adapters/search/search-access.js';
import { appliedBatchOperations, createContactOperation, replaceContactOperation } from '../../../backend/src/adapters/search/contact-search-requests.js';
import { indexOperations } from '../../../backend/src/adapters/search/analytics-search-requests.js';
import { analyticsIndexNames } from '../../../backend/src/adapters/search/analytics-indices.js';
import { aContact } from '../../support/builders.js';

const names = contactIndexNames('proxitrace-');

/**
 * The plugin APIs (ISM, security) do not run here: the local node has core modules only. This engine
 * answers them as Amazon OpenSearch Service documents, and records what the setup sends; the real
 * node runs the rest of the setup in test/services.
 */
function pluginEngine(plugins: string[], existing: Record<string, { statusCode: number; body: unknown }> = {}) {
  const sent: { method: string; path: string; body?: object }[] = [];
  const installed: string[] = [];
  const engine = {
    putIndexTemplate: async (name: string) => void installed.push(`template ${name}`),
    createIndexIfMissing: async (index: string) => void installed.push(`index ${index}`),
    request: async (method: string, path: string, body?: object) => {
      sent.push({ method, path, ...(body ? { body } : {}) });
      if (path.startsWith('/_cat/plugins')) return { statusCode: 200, body: plugins.map((component) => ({ name: 'node-1', component, version: '2.19.0' })) };
      if (method === 'GET') return existing[path] ?? { statusCode: 404, body: { error: 'not found' } };
      return { statusCode: 200, body: { status: 'OK' } };
    },
  } as unknown as SearchEngine;
  return { engine, sent, installed };
}

describe('Function: setupSearch', () => {
  it('installs template and applied-batches index (no script: the merge runs in the store); skips retention policy and roles on an engine without the plugins', async () => {
    const { engine, installed, sent } = pluginEngine([]);
    const report = await setupSearch(engine, names, LOCAL_INDEX_SETTINGS, { retentionDays: 21 });
    expect(installed).toEqual(['template proxitrace-contacts', 'index proxitrace-applied-batches']);
    expect(report).toEqual({ retentionPolicy: 'unavailable', securityRoles: 'unavailable', analyticsRetention: 'not installed' });
    expect(sent.map((r) => r.path)).toEqual(['/_cat/plugins?format=json']);
  });

  it('on OpenSearch Service: the ISM policy, a security role per access level, each mapped to its IAM roles only', async () => {
    const { engine, sent } = pluginEngine(['opensearch-index-management', 'opensearch-security']);
    const writer = 'arn:aws:iam::1:role/consumer';
    const official = 'arn:aws:iam::1:role/officials';
    const report = await setupSearch(engine, names, LOCAL_INDEX_SETTINGS, { retentionDays: 21, roleMappings: { write: [writer], read: ['arn:aws:iam::1:role/report'], officials: [official] } });
    expect(report).toEqual({ retentionPolicy: 'installed', securityRoles: 7, analyticsRetention: 'not installed' });
    const put = (path: string) => sent.find((r) => r.method === 'PUT' && r.path === path)?.body as Record<string, any> | undefined;
    expect(put('/_plugins/_ism/policies/proxitrace-contacts-retention')).toEqual(retentionPolicyBody(names, 21));
    expect(put('/_plugins/_ism/policies/proxitrace-contacts-retention')!.policy.states[0].transitions[0].conditions).toEqual({ min_index_age: '22d' });
    expect(put('/_plugins/_security/api/rolesmapping/proxitrace-write')).toEqual({ backend_roles: [writer] });
    expect(put('/_plugins/_security/api/rolesmapping/proxitrace-erase')).toEqual({ backend_roles: [] });
    const writeRole = put('/_plugins/_security/api/roles/proxitrace-write')!;
    expect(writeRole.index_permissions.flatMap((p: { index_patterns: string[] }) => p.index_patterns)).toEqual(['proxitrace-contacts-*', 'proxitrace-applied-batches']);
    expect(JSON.stringify(writeRole)).not.toMatch(/"\*"|indices:admin\/template|cluster:admin/);
    const officials = put('/_plugins/_security/api/roles/proxitrace-officials')!;
    // Officials read the pseudonymous analytics, never the contacts (device numbers, locations).
    expect(officials.index_permissions).toEqual([{ index_patterns: ['proxitrace-analytics-*'], allowed_actions: ['read'] }]);
    const analyticsRole = put('/_plugins/_security/api/roles/proxitrace-analytics')!;
    const writable = analyticsRole.index_permissions.filter((p: { allowed_actions: string[] }) => p.allowed_actions.some((a) => a.startsWith('indices:data/write')));
    expect(writable.flatMap((p: { index_patterns: string[] }) => p.index_patterns)).toEqual(['proxitrace-analytics-*']);
    expect(put('/_plugins/_security/api/rolesmapping/opensearch_dashboards_user')).toEqual({ backend_roles: [official], users: [] });
  });

  it('leaves an unchanged retention policy alone and keeps other Dashboards users mapped', async () => {
    const policy = retentionPolicyBody(names, 21) as { policy: object };
    const { engine, sent } = pluginEngine(['opensearch-index-management', 'opensearch-security'], {
      '/_plugins/_ism/policies/proxitrace-contacts-retention': { statusCode: 200, body: { _seq_no: 3, _primary_term: 1, ...policy } },
      '/_plugins/_security/api/rolesmapping/opensearch_dashboards_user': { statusCode: 200, body: { opensearch_dashboards_user: { backend_roles: ['arn:aws:iam::1:role/analyst'], users: ['admin'] } } },
    });
    const report = await setupSearch(engine, names, LOCAL_INDEX_SETTINGS, { retentionDays: 21, roleMappings: { officials: ['arn:aws:iam::1:role/officials'] } });
    expect(report.retentionPolicy).toBe('unchanged');
    expect(sent.filter((r) => r.path.startsWith('/_plugins/_ism') && r.method === 'PUT')).toEqual([]);
    expect(sent.find((r) => r.method === 'PUT' && r.path.endsWith('/opensearch_dashboards_user'))!.body).toEqual({ backend_roles: ['arn:aws:iam::1:role/analyst', 'arn:aws:iam::1:role/officials'], users: ['admin'] });
  });

  it('grants writers the actions their bulks send and nothing more: creates and conditional indexes, no updates or scripts', () => {
    const contact = aContact(1, 2, 30, 20);
    const sentActions = [
      ...createContactOperation(names, contact),
      ...replaceContactOperation(names, contact, { seqNo: 3, primaryTerm: 1 }),
      ...appliedBatchOperations(names, [{ batchKey: 'k', reporter: 1, observationCount: 1 }], new Date(0)),
      ...indexOperations(analyticsIndexNames('proxitrace-'), 'cases', [{ id: 'c' }], () => 0),
    ].filter((_, i) => i % 2 === 0).map((header) => Object.keys(header)[0]);
    expect(new Set(sentActions)).toEqual(new Set(['create', 'index']));
    for (const [level, role] of Object.entries(securityRoles(names))) {
      const actions = [...role.cluster_permissions, ...role.index_permissions.flatMap((p) => p.allowed_actions)];
      expect(actions.filter((a) => a.includes('update') || a.includes('script')), level).toEqual([]);
    }
  });
});
