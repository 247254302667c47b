import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const POM = join(import.meta.dirname, 'maven', 'pom.xml');

/** Where resolved classpaths are kept: one folder per profile and pom content, never in the repository. */
export function defaultCacheDir(): string {
  return process.env.PROXITRACE_SERVICES_CACHE ?? join(homedir(), '.m2', 'proxitrace-local-services');
}

let mavenQueue: Promise<unknown> = Promise.resolve();

export interface Classpath {
  dir: string;
  cached: boolean;
}

/**
 * The jars (and native libraries) of one Maven profile of maven/pom.xml, copied into a cache folder
 * by `mvn dependency:copy-dependencies` on first use. The folder name includes a hash of the pom,
 * so changing a version resolves again; a `.complete` marker makes an interrupted copy start over.
 */
export async function ensureClasspath(profile: string, cacheDir = defaultCacheDir()): Promise<Classpath> {
  const pom = readFileSync(POM);
  const dir = join(cacheDir, `${profile}-${createHash('sha256').update(pom).digest('hex').slice(0, 12)}`);
  if (existsSync(join(dir, '.complete'))) return { dir, cached: true };
  // One mvn at a time: concurrent downloads into one local repository can clash.
  const turn = mavenQueue.then(() => copyDependencies(profile, cacheDir, dir));
  mavenQueue = turn.catch(() => {});
  return turn;
}

async function copyDependencies(profile: string, cacheDir: string, dir: string): Promise<Classpath> {
  if (existsSync(join(dir, '.complete'))) return { dir, cached: true };
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  try {
    await run('mvn', ['-q', '-B', '-f', POM, '-P', profile, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const output = error as { stdout?: string; stderr?: string };
    throw new Error(`mvn could not resolve profile ${profile}:\n${output.stdout ?? ''}${output.stderr ?? ''}`, { cause: error });
  }
  writeFileSync(join(staging, '.complete'), new Date().toISOString());
  if (existsSync(join(dir, '.complete'))) {
    rmSync(staging, { recursive: true, force: true }); // another process finished first
  } else {
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  }
  return { dir, cached: false };
}
