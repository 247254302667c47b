import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { inheritedEnv } from './child-env.js';

/**
 * A Python virtual environment with pinned packages from PyPI, made once per machine under
 * ~/.cache/proxitrace/venvs and reused: tests that need a Python tool (cfn-lint) install it
 * themselves, so `.ci/run` works on a clean machine. Returns the venv's python: run a tool as
 * `python -m <module>` (the venv is built aside and moved into place, which breaks its scripts' shebangs).
 */
export function ensurePythonVenv(name: string, requirements: readonly string[]): string {
  const key = createHash('sha256').update(requirements.join('\n')).digest('hex').slice(0, 12);
  const root = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'proxitrace', 'venvs');
  const dir = join(root, `${name}-${key}`);
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, '.complete'))) return python;
  mkdirSync(root, { recursive: true });
  // Built aside and renamed into place, so a concurrent or interrupted run never sees half a venv.
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  const run = (command: string, args: string[]) => execFileSync(command, args, { env: inheritedEnv(), stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  try {
    run('python3', ['-m', 'venv', building]);
  } catch {
    // Debian ships venv's ensurepip separately; the machine's root may install it (as the other set-ups do).
    rmSync(building, { recursive: true, force: true });
    run('apt-get', ['install', '-y', '-q', 'python3-venv']);
    run('python3', ['-m', 'venv', building]);
  }
  run(join(building, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...requirements]);
  execFileSync('touch', [join(building, '.complete')]);
  if (existsSync(join(dir, '.complete'))) rmSync(building, { recursive: true, force: true });
  else {
    rmSync(dir, { recursive: true, force: true });
    renameSync(building, dir);
  }
  return python;
}
