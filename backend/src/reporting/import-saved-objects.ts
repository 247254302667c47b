import { savedObjects, toNdjson } from './saved-objects.js';

export type DashboardsAuth = { kind: 'none' } | { kind: 'basic'; username: string; password: string } | { kind: 'api-key'; key: string };

export interface ImportOptions {
  /** The dashboards' base URL, e.g. https://kibana.example:5601 or https://domain/_dashboards. */
  url: string;
  auth: DashboardsAuth;
  /** A Kibana space (the request goes to /s/<space>/api/…). */
  space?: string | undefined;
  /** Replace objects imported before (the bundle's ids are fixed), else keep them and report conflicts. */
  overwrite: boolean;
  indexPrefix: string;
}

export interface ImportResult {
  status: number;
  success: boolean;
  successCount: number;
  errors: { id: string; type: string; title?: string; error: { type: string; [key: string]: unknown } }[];
}

/**
 * Posts the bundle through the saved-objects import API, which Kibana and OpenSearch Dashboards
 * share: multipart form, field `file`, a name ending in .ndjson, the xsrf header of each (no version
 * header, which must match the server's when sent). Both answer 200 even when nothing was written:
 * the body's `success` and `errors` tell.
 */
export async function importSavedObjects(options: ImportOptions, fetchImpl: typeof fetch = fetch): Promise<ImportResult> {
  const base = options.url.replace(/\/+$/, '');
  const space = options.space ? `/s/${encodeURIComponent(options.space)}` : '';
  const form = new FormData();
  form.append('file', new Blob([toNdjson(savedObjects(options.indexPrefix))], { type: 'application/ndjson' }), 'proxitrace-dashboards.ndjson');
  const headers: Record<string, string> = { 'kbn-xsrf': 'proxitrace', 'osd-xsrf': 'proxitrace' };
  if (options.auth.kind === 'basic') headers.authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
  if (options.auth.kind === 'api-key') headers.authorization = `ApiKey ${options.auth.key}`;
  const response = await fetchImpl(`${base}${space}/api/saved_objects/_import${options.overwrite ? '?overwrite=true' : ''}`, { method: 'POST', headers, body: form });
  const text = await response.text();
  let body: Partial<ImportResult> & { message?: string; error?: string };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`${response.status} from ${base}: not a saved-objects import answer (${text.slice(0, 200)})`);
  }
  if (!response.ok) throw new Error(`${response.status} from ${base}: ${body.message ?? body.error ?? text.slice(0, 200)}`);
  return { status: response.status, success: body.success === true, successCount: body.successCount ?? 0, errors: body.errors ?? [] };
}
