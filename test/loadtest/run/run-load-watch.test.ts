import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadResult } from '../../../loadtest/src/report/load-result.js';
import { summaryText } from '../../../loadtest/src/report/summary-text.js';
import { writeReport } from '../../../loadtest/src/report/write-report.js';
import { PreflightError } from '../../../loadtest/src/run/preflight.js';
import { runLoad } from '../../../loadtest/src/run/run-load.js';
import { startFakeApi, type FakeApi } from '../support/fake-api.js';
import { smokeOptions } from '../support/smoke-options.js';

const OFFICIAL = '+447700900001';
const dir = mkdtempSync(join(tmpdir(), 'loadtest-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { update: () => {}, stop: () => {} };

const options = (url: string, extra: Record<string, unknown>) => smokeOptions(url, OFFICIAL, dir, { duration: '2s', ...extra });

describe('Function: runLoad with --watch-pid (the soak watch)', () => {
  let api: FakeApi;
  let result: LoadResult;
  const store = join(dir, 'store.sqlite');

  beforeAll(async () => {
    api = await startFakeApi({ officialPhone: OFFICIAL });
    writeFileSync(store, Buffer.alloc(4_096));
    // The fake API runs in this process, so this process is the server watched.
    result = await runLoad(options(api.url, { 'watch-pid': String(process.pid), 'watch-files': `${store},${store}-wal`, 'watch-interval': '100ms' }), {
      progress: quiet,
      log: () => {},
    });
  });
  afterAll(() => api.stop());

  it("samples the server's memory from the start of the load to after the drain", () => {
    const p = result.process!;
    expect(p.pid).toBe(process.pid);
    expect(p.samples.length).toBeGreaterThanOrEqual(3);
    expect(p.samples[0]!.seconds).toBeLessThan(0.5);
    expect(p.samples.at(-1)!.seconds).toBeGreaterThanOrEqual(result.elapsedSeconds);
    expect(p.rss.startBytes).toBe(p.samples[0]!.rssBytes);
    expect(p.rss.endBytes).toBe(p.samples.at(-1)!.rssBytes);
    expect(p.rss.maxBytes).toBe(Math.max(...p.samples.map((s) => s.rssBytes)));
    expect(p.exited).toBe(false);
  });

  it('gives each watched file its sizes, 0 for one that does not exist', () => {
    expect(result.process!.files.map((f) => [f.path, f.startBytes, f.endBytes, f.slopeBytesPerHour])).toEqual([
      [store, 4_096, 4_096, 0],
      [`${store}-wal`, 0, 0, 0],
    ]);
  });

  it('prints the figures and plots them in the report', () => {
    expect(summaryText(result)).toMatch(new RegExp(`server RSS \\(PID ${process.pid}\\): [\\d.]+ → [\\d.]+ MB \\(max [\\d.]+\\), [+−][\\d.]+ MB/h, second half [+−][\\d.]+ MB/h`));
    expect(summaryText(result)).toContain(`${store}: 0.0 → 0.0 MB`);
    const html = readFileSync(writeReport(result, join(dir, 'report')).html, 'utf8');
    expect(html).toContain('Server resident memory');
    expect(html).toContain('Watched file sizes');
  });

  it('leaves the result without a process when nothing is watched', async () => {
    const plain = await runLoad(options(api.url, { duration: '1s' }), { progress: quiet, log: () => {} });
    expect(plain.process).toBeNull();
  });

  it('refuses in preflight a PID that is not running, before any load', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.once('exit', resolve));
    const run = runLoad(options(api.url, { 'watch-pid': String(child.pid) }), { progress: quiet, log: () => {} });
    await expect(run).rejects.toBeInstanceOf(PreflightError);
    await expect(run).rejects.toThrow(`--watch-pid ${child.pid}: no such process`);
  });
});
