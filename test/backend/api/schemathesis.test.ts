import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInForFuzzing } from '../../../backend/fuzz/run-fuzz.js';
import { createLogger } from '../../../backend/src/composition/logger.js';
import { loadBackendConfig } from '../../../backend/src/config/backend-config.js';
import { startLocalStack, type LocalStack } from '../../../backend/src/local/local-stack.js';
import { inheritedEnv } from '../../support/child-env.js';
import { ensurePythonVenv } from '../../support/python-venv.js';

/**
 * A generic OpenAPI contract fuzzer (schemathesis, from PyPI) pointed at /openapi.json: every
 * answer must be declared there (status, content type, headers, body schema), 405 must carry
 * Allow, invalid input must be refused, secured operations must need their token. Positive-data
 * acceptance is left out: schema-valid bodies still break rules a schema cannot state (a sighting
 * in the future, an unknown challenge), which the API rightly refuses with a declared 4xx.
 */
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
  'unsupported_method',
  'allow_header_conformance',
  'missing_required_header',
  'ignored_auth',
].join(',');

describe('schemathesis against /openapi.json (embedded stack)', () => {
  let stack: LocalStack;
  let dataDir: string;
  let python: string;
  let tokens: Awaited<ReturnType<typeof signInForFuzzing>>;
  beforeAll(async () => {
    python = ensurePythonVenv('schemathesis', ['schemathesis==4.32.5']);
    dataDir = mkdtempSync(join(tmpdir(), 'proxitrace-st-'));
    const config = loadBackendConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'SILENT', DEV_SMS_ECHO: '1', OFFICIAL_PHONE_NUMBERS: '+15550009999', SQLITE_SYNCHRONOUS: 'NORMAL' });
    stack = await startLocalStack(config, createLogger(config));
    tokens = await signInForFuzzing(stack.url, '+15550009001', '+15550009999');
  }, 600_000);
  afterAll(async () => {
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  // Asynchronous: the stack under test runs in this very process and must keep answering.
  const run = (token: string, extra: string[]) =>
    new Promise<{ status: number | null; output: string }>((resolve, reject) => {
      const child = spawn(
        python,
        ['-m', 'schemathesis.cli', 'run', `${stack.url}/openapi.json`, '--checks', CHECKS, '-H', `Authorization: Bearer ${token}`, '--seed', '20261201', '--workers', '2', '--no-color', '--generation-database', 'none', ...extra],
        { env: { ...inheritedEnv(), SCHEMATHESIS_TELEMETRY: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (status) => resolve({ status, output }));
    });

  it('finds nothing undeclared, as a device', async () => {
    const { status, output } = await run(tokens.deviceToken!, ['--max-examples', '25']);
    expect(output).toMatch(/generated, \d+ passed/);
    expect(status, output).toBe(0);
  }, 300_000);

  it("finds nothing undeclared in the officials' operations, as an official", async () => {
    const { status, output } = await run(tokens.officialToken!, ['--max-examples', '15', '--include-path-regex', '^/v1/admin/']);
    expect(status, output).toBe(0);
  }, 300_000);
});
