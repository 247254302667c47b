import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { build } from 'esbuild';
import { newRelayKeyFile } from '../../../backend/src/adapters/relay-keys/load-relay-keys.js';
import { newTokenKeyFile } from '../../../backend/src/adapters/token-keys/load-token-keys.js';
import { FUNCTIONS, type FunctionSpec, type SecretName } from '../../../backend/src/lambda/functions.js';
import { BUNDLING, externalModules, LAMBDA_DIR, LAMBDA_NODE_MAJOR, REPO_ROOT } from '../bundling.js';
import { stageConfig } from '../config/stages.js';
import { functionEnvironment } from '../function-environment.js';

const run = promisify(execFile);

const HELP = `npm run bench:cold-start [-- options]

Bundles every Lambda function exactly as infra bundles it (esbuild: ESM, minified, tree-shaken, the stage's
search client only), then imports and initialises each handler in fresh processes of the Lambda's Node
major (${LAMBDA_NODE_MAJOR}, from the npm registry's \`node\` package through npx) with the function's
environment and NODE_OPTIONS=--enable-source-maps, as Lambda runs it. The deployment's secrets (token keys,
relay keys, phone hash) are served by a local endpoint speaking Secrets Manager's protocol, so the cold start
reads them for real; nothing else is
contacted at start-up (clients connect on first use).

Prints bundle size, and median and worst time from import to a ready handler per function, with the targets
(bundle ≤ 1 MB, goal ≤ 300 KB; initialisation ≤ 150 ms, goal ≤ 50 ms). Writes bench-results/cold-start-<time>.json.

Options:
  --runs N       fresh processes per function (default 7)
  --only ID,...  only these functions (ids from backend/src/lambda/functions.ts)
  --cpu-prof DIR write a V8 CPU profile of every cold start into DIR/<function>/ (open in Chrome DevTools)
  -h, --help     this text`;

interface Sample {
  /** Wall time from import to ready handler. */
  ms: number;
  /** CPU time (user + system) of the process over the same span: what a busy machine inflates least. */
  cpuMs: number;
}

interface Result {
  id: string;
  bundleBytes: number;
  initMs: { median: number; max: number; runs: number[] };
  initCpuMs: { median: number; runs: number[] };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, only: { type: 'string' }, 'cpu-prof': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void console.log(HELP);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error(`--runs must be a whole number from 1 to 100, not ${values.runs}`);
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((id) => !FUNCTIONS.some((f) => f.id === id)) ?? [];
  if (unknown.length > 0) throw new Error(`--only: unknown function ${unknown.join(', ')}; known: ${FUNCTIONS.map((f) => f.id).join(', ')}`);
  const specs = FUNCTIONS.filter((f) => !only || only.includes(f.id));

  const node = await lambdaNode();
  console.log(`Node ${(await run(node, ['--version'])).stdout.trim()} (${node})`);
  const outDir = join(REPO_ROOT, 'bench-results', 'cold-start-bundles');
  const secrets = await fakeSecretsManager();
  const results: Result[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      process.stderr.write(`[${i + 1}/${specs.length}] ${spec.id}: bundling, ${runs} cold starts…\n`);
      const bundle = await bundleOf(spec, join(outDir, spec.id));
      const samples: Sample[] = [];
      const profileDir = values['cpu-prof'] === undefined ? undefined : join(values['cpu-prof'], spec.id);
      for (let r = 0; r < runs; r++) samples.push(await coldStart(node, bundle.file, environment(spec, secrets.endpoint), profileDir));
      const times = samples.map((x) => x.ms).sort((a, b) => a - b);
      const cpu = samples.map((x) => x.cpuMs).sort((a, b) => a - b);
      results.push({
        id: spec.id,
        bundleBytes: bundle.bytes,
        initMs: { median: median(times), max: times[times.length - 1]!, runs: times },
        initCpuMs: { median: median(cpu), runs: cpu },
      });
    }
  } finally {
    await new Promise((done) => secrets.server.close(done));
  }
  printTable(results);
  const at = new Date().toISOString();
  const file = join(REPO_ROOT, 'bench-results', `cold-start-${at.replaceAll(':', '-')}.json`);
  writeFileSync(file, JSON.stringify({ benchmark: 'cold-start', at, node: LAMBDA_NODE_MAJOR, runs, loadAverage: loadavg(), results }, null, 2));
  console.log(`\nJSON: ${file}`);
}

/** The Lambda runtime's Node major from the npm registry (cached by npx after the first run). */
async function lambdaNode(): Promise<string> {
  const { stdout } = await run('npx', ['-y', `node@${LAMBDA_NODE_MAJOR}`, '-e', 'console.log(process.execPath)'], { cwd: REPO_ROOT });
  return stdout.trim().split('\n').pop()!;
}

async function bundleOf(spec: FunctionSpec, dir: string): Promise<{ file: string; bytes: number }> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.mjs');
  const result = await build({
    entryPoints: [join(LAMBDA_DIR, spec.entry)],
    outfile: file,
    bundle: true,
    format: BUNDLING.format,
    target: BUNDLING.target,
    platform: BUNDLING.platform,
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    sourcesContent: BUNDLING.sourcesContent,
    mainFields: [...BUNDLING.mainFields],
    banner: { js: BUNDLING.banner },
    external: externalModules(spec, 'opensearch-service'),
    alias: { ...BUNDLING.alias },
    metafile: true,
    logLevel: 'error',
  });
  const output = Object.entries(result.metafile.outputs).find(([name]) => name.endsWith('.mjs'))!;
  return { file, bytes: output[1].bytes };
}

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)]!;

/** From the start of the import to the module (and its top-level await) settled: wall and CPU time. */
async function coldStart(node: string, bundle: string, env: Record<string, string>, profileDir?: string): Promise<Sample> {
  const probe = [
    'const c = process.cpuUsage(); const t = performance.now();',
    `const m = await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
    "if (typeof m.handler !== 'function') throw new Error('no handler');",
    'const u = process.cpuUsage(c); console.log(JSON.stringify({ ms: performance.now() - t, cpuMs: (u.user + u.system) / 1000 }));',
  ].join(' ');
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const { stdout } = await run(node, [...profile, '--input-type=module', '-e', probe], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: join(bundle, '..') });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Sample;
}

/** Where the bench's secrets live: the fake Secrets Manager answers each id with a fresh value of its kind. */
const SECRET_IDS: Record<SecretName, string> = { tokenKeys: 'proxitrace-bench-token-keys', relayKeys: 'proxitrace-bench-relay-keys', phoneHash: 'proxitrace-bench-phone-hash' };

/** What infra gives the function (infra/aws/function-environment.ts, prod sizes), pointed at addresses that are never reached. */
function environment(spec: FunctionSpec, secretsEndpoint: string): Record<string, string> {
  const sqs = (name: string) => `https://sqs.eu-west-2.amazonaws.com/000000000000/proxitrace-bench-${name}`;
  const config = stageConfig('prod', {});
  const deployed = functionEnvironment(spec, config, {
    queueUrls: { contacts: sqs('contacts'), contactDeadLetters: sqs('contacts-dlq'), tracingDeadLetters: sqs('tracing-dlq') },
    search: { kind: 'opensearch-service', node: 'https://search-proxitrace-bench.eu-west-2.es.amazonaws.com' },
    searchSettings: { shards: config.search.shards, replicas: config.search.replicas, refreshInterval: config.search.refreshInterval },
    userPoolId: 'eu-west-2_bench',
    userPoolClientId: 'benchclient',
    secretIds: SECRET_IDS,
    edgeOriginSecret: randomBytes(32).toString('hex'),
  });
  return {
    ...deployed,
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_LAMBDA_FUNCTION_NAME: `proxitrace-bench-${spec.id}`,
    LOG_LEVEL: 'WARN',
    SECRETS_MANAGER_ENDPOINT: secretsEndpoint,
  };
}

/** GetSecretValue over Secrets Manager's JSON protocol, answering each of the deployment's secrets with a value of its kind. */
async function fakeSecretsManager(): Promise<{ server: Server; endpoint: string }> {
  const values: Record<string, string> = {
    [SECRET_IDS.tokenKeys]: JSON.stringify(newTokenKeyFile()),
    [SECRET_IDS.relayKeys]: JSON.stringify(newRelayKeyFile()),
    [SECRET_IDS.phoneHash]: randomBytes(48).toString('base64'),
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: string };
      const value = SecretId === undefined ? undefined : values[SecretId];
      if (value === undefined) {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        return void response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: `no secret ${SecretId}` }));
      }
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ ARN: `arn:aws:secretsmanager:eu-west-2:000000000000:secret:${SecretId}`, Name: SecretId, SecretString: value, VersionId: 'v1', VersionStages: ['AWSCURRENT'] }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function printTable(results: Result[]): void {
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
  const rows = results.map((r) => [r.id, kb(r.bundleBytes), r.initMs.median.toFixed(0), r.initMs.max.toFixed(0), r.initCpuMs.median.toFixed(0)]);
  const header = ['function', 'bundle', 'init p50 ms', 'init max ms', 'init CPU p50 ms'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log(`\n${header.map((h, i) => h.padEnd(widths[i]!)).join('  ')}`);
  for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  const maxBundle = Math.max(...results.map((r) => r.bundleBytes));
  const maxInit = Math.max(...results.map((r) => r.initMs.median));
  console.log(`\nlargest bundle ${kb(maxBundle)} (target ≤ 1,000 KB, goal ≤ 300 KB): ${maxBundle <= 1_000_000 ? 'met' : 'NOT met'}${maxBundle <= 300_000 ? ', goal met' : ''}`);
  console.log(`slowest median init ${maxInit.toFixed(0)} ms (target ≤ 150 ms, goal ≤ 50 ms): ${maxInit <= 150 ? 'met' : 'NOT met'}${maxInit <= 50 ? ', goal met' : ''}`);
  console.log(`load average while measuring: ${loadavg().map((l) => l.toFixed(1)).join(', ')} on ${cpus().length} cores (a busy machine inflates wall time; CPU time much less)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
