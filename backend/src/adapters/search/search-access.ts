import type { ContactIndexNames } from './contact-indices.js';

/**
 * What a function may do in the search tier. On Amazon OpenSearch Service with fine-grained access
 * control each level is a security role that the deploy-time setup creates and maps to the IAM roles
 * of the functions that need it; IAM only lets them reach the domain. Nothing but `admin` (the setup
 * itself, the domain's master user) can change templates, scripts, policies or roles.
 */
export type SearchAccess = 'ping' | 'read' | 'write' | 'analytics' | 'erase' | 'retention' | 'admin';

/**
 * The HTTP verbs each level sends (IAM `es:ESHttp<Verb>` on the domain), as the services test
 * records them (test/services/iam-grants-match-calls.test.ts): refreshes and counts are GETs,
 * searches, mgets, bulks and deletes by query POSTs, the ping a HEAD; bulks create the next daily
 * index themselves, so no runtime level PUTs. Only the setup creates or changes anything else.
 * Nothing PATCHes.
 */
export const SEARCH_HTTP_VERBS: Record<SearchAccess, readonly ('Get' | 'Head' | 'Post' | 'Put' | 'Delete' | 'Patch')[]> = {
  ping: ['Head'],
  read: ['Get', 'Post'],
  write: ['Get', 'Post'],
  analytics: ['Get', 'Post'],
  erase: ['Get', 'Post'],
  retention: ['Get', 'Post', 'Delete'],
  // The setup (the domain's master user): reads what is installed, PUTs what is missing or changed.
  admin: ['Get', 'Head', 'Post', 'Put'],
};

export interface SecurityRole {
  cluster_permissions: string[];
  index_permissions: { index_patterns: string[]; allowed_actions: string[] }[];
}

/** The security role name of an access level (the setup owns every role with this prefix). */
export function searchRoleName(names: ContactIndexNames, access: Exclude<SearchAccess, 'admin'> | 'officials'): string {
  return `${names.prefix}${access}`;
}

const READ = ['indices:data/read/search*', 'indices:data/read/mget*', 'indices:data/read/get*', 'indices:admin/refresh*', 'indices:monitor/stats'];

/**
 * Writers send bulk `create` and `index` actions only (both are `indices:data/write/index`), and
 * create the next daily or weekly index on the way. No store sends an update or a script, so no
 * role may run one.
 */
const WRITE = [...READ, 'indices:data/write/index*', 'indices:data/write/bulk*', 'indices:admin/create', 'indices:admin/mapping/put'];

/**
 * The security roles, by access level. Writers may only write the contact indices and the
 * applied-batches index (bulk creates and conditional index writes, multi-gets, creating the next daily index);
 * the analytics job only the analytics indices; officials read the analytics indices in Dashboards
 * (never the contacts, which hold device numbers) and write nothing.
 */
export function securityRoles(names: ContactIndexNames): Record<Exclude<SearchAccess, 'admin'> | 'officials', SecurityRole> {
  const contactIndices = [names.contactsPattern, names.appliedBatches];
  const analyticsIndices = [`${names.prefix}analytics-*`];
  return {
    ping: { cluster_permissions: ['cluster:monitor/main', 'cluster:monitor/health'], index_permissions: [] },
    read: {
      cluster_permissions: ['indices:data/read/mget*', 'indices:data/read/search*'],
      index_permissions: [{ index_patterns: contactIndices, allowed_actions: READ }],
    },
    write: {
      cluster_permissions: ['indices:data/write/bulk*', 'indices:data/read/mget*', 'indices:data/read/search*'],
      index_permissions: [
        {
          index_patterns: contactIndices,
          allowed_actions: WRITE,
        },
      ],
    },
    // The analytics job: reads contacts, writes only the pseudonymous analytics indices.
    analytics: {
      cluster_permissions: ['indices:data/write/bulk*', 'indices:data/read/mget*', 'indices:data/read/search*'],
      index_permissions: [
        { index_patterns: contactIndices, allowed_actions: READ },
        {
          index_patterns: analyticsIndices,
          allowed_actions: WRITE,
        },
      ],
    },
    erase: {
      cluster_permissions: ['indices:data/read/search*'],
      index_permissions: [{ index_patterns: [...contactIndices, ...analyticsIndices], allowed_actions: [...READ, 'indices:data/write/delete/byquery', 'indices:data/write/delete'] }],
    },
    retention: {
      cluster_permissions: ['indices:data/read/search*'],
      index_permissions: [
        { index_patterns: [...contactIndices, ...analyticsIndices], allowed_actions: [...READ, 'indices:data/write/delete/byquery', 'indices:data/write/delete', 'indices:admin/delete'] },
      ],
    },
    officials: {
      cluster_permissions: ['cluster_composite_ops_ro'],
      // Officials see the pseudonymous analytics only: the contact indices hold device numbers (docs/ANALYTICS.md).
      index_permissions: [{ index_patterns: analyticsIndices, allowed_actions: ['read'] }],
    },
  };
}
