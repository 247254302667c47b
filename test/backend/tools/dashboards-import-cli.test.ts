import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { savedObjects, toNdjson } from '../../../backend/src/reporting/saved-objects.js';
import { inheritedEnv } from '../../support/child-env.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../../..');

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  file?: { name: string; text: string };
}

/**
 * A stand-in for the saved-objects import API of Kibana and OpenSearch Dashboards on loopback: it
 * reads the multipart form as they do (field `file`, a .ndjson name) and answers 200 with the
 * body they give, `success` and `errors` (dashboards-saved-objects note: both answer 200 even
 * when nothing was written).
 */
describe('npm run dashboards:import', { timeout: 120_000 }, () => {
  let server: Server;
  let url: string;
  const received: Received[] = [];
  let answer: (objects: number) => object;

  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', resolve(ROOT, 'backend/src/tools/dashboards-import-cli.ts'), ...args], { cwd: ROOT, env: { ...inheritedEnv(), DASHBOARDS_PASSWORD: 'from-env' } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const entry: Received = { method: req.method!, url: req.url!, headers: req.headers };
          const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? '' }, body: Buffer.concat(chunks) }).formData();
          const file = form.get('file');
          if (file instanceof File) entry.file = { name: file.name, text: await file.text() };
          received.push(entry);
          const lines = entry.file?.text.trimEnd().split('\n').length ?? 0;
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(lines)));
        })();
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
  beforeEach(() => {
    received.length = 0;
    answer = (objects) => ({ success: true, successCount: objects, successResults: [], errors: [] });
  });

  it('answers --help, and refuses a call without --url', async () => {
    expect((await cli('--help')).stdout).toContain('Usage: npm run dashboards:import -- --url URL');
    const without = await cli();
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('--url is required');
    expect(received).toEqual([]);
  });

  it('posts the bundle as a .ndjson file with both xsrf headers and basic auth, and says how many objects were imported', async () => {
    const result = await cli('--url', `${url}/`, '--auth', 'official:s3cret', '--index-prefix', 'town-');
    expect(result.code, result.stderr).toBe(0);
    const bundle = toNdjson(savedObjects('town-'));
    expect(result.stdout).toContain(`imported ${bundle.trimEnd().split('\n').length} saved objects`);
    expect(received).toHaveLength(1);
    const [post] = received;
    expect(post!.method).toBe('POST');
    expect(post!.url).toBe('/api/saved_objects/_import?overwrite=true');
    expect(post!.headers).toMatchObject({ 'kbn-xsrf': expect.any(String), 'osd-xsrf': expect.any(String), authorization: `Basic ${Buffer.from('official:s3cret').toString('base64')}` });
    // No version header: one that does not match the server's is refused.
    expect(Object.keys(post!.headers).filter((h) => /version/i.test(h))).toEqual([]);
    expect(post!.file!.name).toMatch(/\.ndjson$/);
    expect(post!.file!.text).toBe(bundle);
  });

  it('imports into a Kibana space, with the password from DASHBOARDS_PASSWORD, keeping what is there with --no-overwrite', async () => {
    expect((await cli('--url', url, '--auth', 'official', '--space', 'public health', '--no-overwrite')).code).toBe(0);
    expect(received[0]!.url).toBe('/s/public%20health/api/saved_objects/_import');
    expect(received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('official:from-env').toString('base64')}`);
  });

  it('fails and names each problem when the answer, though 200, says nothing was imported', async () => {
    answer = () => ({ success: false, successCount: 0, errors: [{ id: 'proxitrace-dashboard-where', type: 'dashboard', title: 'Where', error: { type: 'conflict' } }] });
    const result = await cli('--url', url, '--api-key', 'a2V5');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('dashboard proxitrace-dashboard-where (Where): conflict');
    expect(result.stderr).toContain('nothing was imported');
    expect(received[0]!.headers.authorization).toBe('ApiKey a2V5');
  });
});
