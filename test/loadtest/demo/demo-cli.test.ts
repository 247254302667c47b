import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDemoArgs } from '../../../loadtest/demo/cli/demo-args.js';
import { inheritedEnv } from '../../support/child-env.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = resolve(ROOT, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'proxitrace-demo-cli-'));

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** Resolves once stdout holds `text`. */
  printed(text: string): Promise<void>;
}

function demo(args: string[]): Run {
  const child = spawn(TSX, ['loadtest/demo/cli/main.ts', ...args], { cwd: ROOT, env: inheritedEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiting: { text: string; done: () => void }[] = [];
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
    for (const w of waiting.filter((x) => stdout.includes(x.text))) w.done();
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code, signal) => done(code ?? (signal ? 128 : null))));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    printed: (text) => (stdout.includes(text) ? Promise.resolve() : new Promise<void>((done) => waiting.push({ text, done }))),
  };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run demo, the command', { timeout: 600_000 }, () => {
  it('reads its options with defaults, and says in one line what is wrong with a bad one', () => {
    expect(parseDemoArgs([])).toMatchObject({ seed: 1, people: 200, days: 3, speed: 'max', backend: 'embedded', comparePolicy: undefined });
    expect(parseDemoArgs(['--seed', '9', '--people', '50', '--days', '2', '--speed', '3000', '--backend', 'AWS', '--compare-policy', 'HOP_PROBABILITY=1/2,ATTENUATION_WEIGHTS=1.5,1,0.5,0'])).toMatchObject({
      seed: 9,
      people: 50,
      days: 2,
      speed: 3000,
      backend: 'aws',
      comparePolicy: { HOP_PROBABILITY: '1/2', ATTENUATION_WEIGHTS: '1.5,1,0.5,0' },
    });
    expect(() => parseDemoArgs(['--people', '5'])).toThrow('--people 5: must be a whole number from 10 to 2000');
    expect(() => parseDemoArgs(['--speed', 'fast'])).toThrow('--speed fast');
    expect(() => parseDemoArgs(['--compare-policy', 'PORT=1'])).toThrow('PORT is not a policy setting');
    expect(() => parseDemoArgs(['--nope'])).toThrow('--help lists the options');
  });

  it('exits 2 on a bad option or a bad policy value, before starting anything', async () => {
    const bad = demo(['--days', '0']);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('--days 0: must be a whole number from 1 to 14');
    const policy = demo(['--compare-policy', 'HOP_PROBABILITY=2', '--out', join(dir, 'bad-policy')]);
    expect(await policy.exited).toBe(2);
    expect(policy.stderr()).toContain('HOP_PROBABILITY');
  });

  it('runs a small town to the end: the summary against the truth, the page, exit 0', async () => {
    const out = join(dir, 'small');
    const run = demo(['--seed', '5', '--people', '24', '--days', '1', '--plain', '--out', out]);
    const code = await run.exited;
    expect(code, run.stderr()).toBe(0);
    const text = run.stdout();
    expect(text).toContain('simulating 1 days');
    expect(text).toMatch(/case: .+ reported a positive test/);
    expect(text).toMatch(/truth\s+MATCHES/);
    expect(text).toContain('dead letters 0 · backend errors 0');
    expect(text).toContain(join('small', 'town.html'));
    expect(readFileSync(join(out, 'town.html'), 'utf8')).toContain('<svg class="town"');
    expect(existsSync(join(out, 'run-1', 'backend.log'))).toBe(true);
    expect(text).toMatch(/The officials' report \(the analytics job over the days: [1-9]\d* cases, \d+ warnings, [1-9]\d* pair-days\): .*officials-report\.html/);
    expect(readFileSync(join(out, 'run-1', 'officials-report.html'), 'utf8')).toContain('<h1>Proxitrace analytics</h1>');
  });

  it('stops cleanly on Ctrl-C mid-run, backend and all, and leaves no process behind', async () => {
    const run = demo(['--seed', '5', '--people', '24', '--days', '2', '--speed', '600', '--plain', '--out', join(dir, 'stopped')]);
    await run.printed('simulating 2 days');
    run.child.kill('SIGINT');
    expect(await run.exited, run.stderr()).toBe(130);
    expect(run.stdout()).toContain('SIGINT: stopping the town and the backend');
    expect(() => process.kill(run.child.pid!, 0)).toThrow();
    // tsx runs the demo in a child node: no process whose command line names this run remains.
    const left = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(join(dir, 'stopped')));
    expect(left).toEqual([]);
  });
});
