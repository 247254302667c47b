import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { procProbe, type ProcessProbe } from '../../../loadtest/src/soak/process-probe.js';
import { ProcessWatch } from '../../../loadtest/src/soak/process-watch.js';

const MB = 1_048_576;
const dir = mkdtempSync(join(tmpdir(), 'process-watch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A clock the test moves, and a probe whose memory follows a known curve: the true slopes are known. */
function scripted(rssAtHour: (hour: number) => number | undefined) {
  let nowMs = 0;
  const clock = { now: () => nowMs };
  const probe: ProcessProbe = { rssBytes: () => rssAtHour(nowMs / 3_600_000), fileBytes: () => 0 };
  return { clock, probe, advanceHours: (h: number) => (nowMs += h * 3_600_000) };
}

describe('Class: ProcessWatch', () => {
  it('gives start, end, max and the slope over the run and over its second half', () => {
    // Warm-up: +40 MB in the first hour, then flat at 140 MB: a whole-run slope, but no leak.
    const s = scripted((h) => (h <= 1 ? 100 * MB + 40 * MB * h : 140 * MB));
    const watch = new ProcessWatch(42, [], s.probe, s.clock, 0);
    for (let i = 0; i <= 8; i++) {
      watch.sample();
      s.advanceHours(0.25);
    }
    const { rss, exited } = watch.result();
    expect(rss.startBytes).toBe(100 * MB);
    expect(rss.endBytes).toBe(140 * MB);
    expect(rss.maxBytes).toBe(140 * MB);
    expect(rss.slopeBytesPerHour).toBeGreaterThan(10 * MB);
    expect(rss.lateSlopeBytesPerHour).toBe(0);
    expect(exited).toBe(false);
  });

  it('shows a leak in the second half as its true rate', () => {
    const s = scripted((h) => 100 * MB + 12 * MB * h);
    const watch = new ProcessWatch(42, [], s.probe, s.clock, 0);
    for (let i = 0; i <= 12; i++) {
      watch.sample();
      s.advanceHours(1 / 12);
    }
    expect(watch.result().rss.lateSlopeBytesPerHour).toBeCloseTo(12 * MB, 0);
  });

  it('says when the process went away, and keeps the samples it had', () => {
    const s = scripted((h) => (h < 0.5 ? 50 * MB : undefined));
    const watch = new ProcessWatch(42, [], s.probe, s.clock, 0);
    expect(watch.sample()).toBe(true);
    s.advanceHours(1);
    expect(watch.sample()).toBe(false);
    expect(watch.result()).toMatchObject({ exited: true, samples: [{ rssBytes: 50 * MB }] });
  });

  it('reads a real process and real files through /proc and stat', () => {
    const db = join(dir, 'store.sqlite');
    writeFileSync(db, Buffer.alloc(12_345));
    const watch = new ProcessWatch(process.pid, [db, join(dir, 'store.sqlite-wal')], procProbe, { now: () => 0 }, 0);
    expect(watch.sample()).toBe(true);
    const [sample] = watch.samples;
    const rss = process.memoryUsage().rss;
    expect(sample!.rssBytes).toBeGreaterThan(rss * 0.5);
    expect(sample!.rssBytes).toBeLessThan(rss * 2);
    expect(sample!.fileBytes).toEqual([12_345, 0]);
  });

  it('finds no process for a PID that has exited', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => child.once('exit', resolve));
    expect(procProbe.rssBytes(child.pid!)).toBeUndefined();
  });
});
