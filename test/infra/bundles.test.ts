import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../backend/src/lambda/functions.js';
import { inheritedEnv } from '../support/child-env.js';
import { resourcesOf } from './support/synth.js';

const REPO = resolve(import.meta.dirname, '../..');

/** The ceiling per minified bundle (the goal is 300 KB; `npm run bench:cold-start` reports each). */
const MAX_BUNDLE_BYTES = 1_000_000;
/** Scheduled batch jobs (the analytics job carries the epidemiology) start once an hour: their start-up costs nobody a wait. */
const MAX_SCHEDULED_BUNDLE_BYTES = 1_500_000;

/** Every function bundled by NodejsFunction/esbuild, by `npm run synth` itself, with no AWS credentials at all. */
describe('npm run synth -- --stage dev (no credentials): every Lambda bundle', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'proxitrace-synth-'));
  let template: Record<string, any>;
  beforeAll(async () => {
    const env = Object.fromEntries(Object.entries(inheritedEnv()).filter(([k]) => !k.startsWith('AWS_') && !k.startsWith('CDK_')));
    await promisify(execFile)('npm', ['run', '--silent', 'synth', '--', '--stage', 'dev', '--out', outdir], {
      cwd: REPO,
      env: { ...env, HOME: mkdtempSync(join(tmpdir(), 'proxitrace-nohome-')), CDK_DISABLE_VERSION_CHECK: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    template = JSON.parse(readFileSync(join(outdir, 'Proxitrace-dev.template.json'), 'utf8'));
  }, 600_000);

  const assetOf = (id: string) => {
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === `proxitrace-dev-${id}`)!;
    const hash = String(fn.Properties.Code.S3Key).replace(/\.zip$/, '');
    return join(outdir, `asset.${hash}`);
  };

  it.each(FUNCTIONS.map((f) => [f.id, f] as const))('%s builds: one minified ESM file exporting `handler`, with a source map, under 1 MB (1.5 MB for scheduled jobs)', (id, spec) => {
    const dir = assetOf(id);
    expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
    expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
    expect(statSync(join(dir, 'index.mjs')).size).toBeLessThanOrEqual(spec.trigger.kind === 'schedule' ? MAX_SCHEDULED_BUNDLE_BYTES : MAX_BUNDLE_BYTES);
    const meta = JSON.parse(readFileSync(join(dir, 'index.meta.json'), 'utf8')) as { outputs: Record<string, { exports: string[]; inputs: Record<string, unknown> }> };
    const [output] = Object.entries(meta.outputs).filter(([name]) => name.endsWith('.mjs')).map(([, o]) => o);
    expect(output!.exports).toEqual(['handler']);
    const inputs = Object.keys(output!.inputs);
    expect(inputs.some((i) => i.endsWith(`backend/src/lambda/${spec.entry}`))).toBe(true);
    // Lambda runs BACKEND=aws: SQLite and the embedded composition stay out; so does the search client a function cannot use.
    expect(inputs.filter((i) => /better-sqlite3|composition\/embedded\.ts|@elastic\/elasticsearch/.test(i))).toEqual([]);
    if (!spec.access.search) expect(inputs.filter((i) => i.includes('@opensearch-project/opensearch'))).toEqual([]);
    // Credentials come from the environment in Lambda: the default chain (and its STS/SSO clients) is replaced.
    const usesAws = inputs.some((i) => i.includes('@aws-sdk/client-'));
    expect(inputs.some((i) => i.endsWith('infra/aws/lambda-credentials.ts'))).toBe(usesAws);
    expect(inputs.filter((i) => /credential-provider-(node|ini|sso|web-identity|process)|nested-clients/.test(i))).toEqual([]);
  });
});
