import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inheritedEnv } from './child-env.js';

const CACHE = resolve(import.meta.dirname, '../../node_modules/.cache/proxitrace-python');

/**
 * A Python virtual environment with `requirement` installed from PyPI, made by the test set-up
 * itself on first use and kept under node_modules/.cache (so `npm ci` starts afresh). Returns
 * the path of the environment's bin folder.
 */
export function pythonVenv(name: string, requirement: string): string {
  const dir = join(CACHE, name);
  const bin = join(dir, 'bin');
  if (existsSync(join(dir, '.complete'))) return bin;
  // Built in place (a venv's scripts name its absolute path); a half-built one is started over.
  mkdirSync(CACHE, { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  const env = { ...inheritedEnv(), PIP_DISABLE_PIP_VERSION_CHECK: '1' };
  execFileSync('python3', ['-m', 'venv', dir], { env, stdio: 'inherit' });
  execFileSync(join(bin, 'pip'), ['install', '--quiet', requirement], { env, stdio: 'inherit', timeout: 600_000 });
  writeFileSync(join(dir, '.complete'), `${requirement}\n`);
  return bin;
}
