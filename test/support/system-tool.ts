import { execFileSync } from 'node:child_process';
import { inheritedEnv } from './child-env.js';

/**
 * A Debian tool a test needs (jq, …): installed with apt-get when missing, so that `.ci/run` on a
 * clean machine needs nothing set up by hand. Returns the tool's name for spawning.
 */
export function ensureSystemTool(tool: string, debianPackage = tool): string {
  const present = () => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { env: inheritedEnv(), stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (!present()) installDebianPackage(debianPackage);
  if (!present()) throw new Error(`${tool} is needed and could not be installed (apt-get install ${debianPackage})`);
  return tool;
}

function installDebianPackage(name: string): void {
  const apt = (...args: string[]) =>
    execFileSync('apt-get', args, { env: { ...inheritedEnv(), DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  try {
    apt('install', '-y', '-q', '--no-install-recommends', name);
  } catch {
    // A fresh machine may not have the package lists yet.
    apt('update');
    apt('install', '-y', '-q', '--no-install-recommends', name);
  }
}
