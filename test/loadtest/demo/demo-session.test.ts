import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemoSession, type DemoSession } from '../../../loadtest/demo/run/demo-session.js';
import { outcomeHolds, summaryText } from '../../../loadtest/demo/report/summary-text.js';
import { townPage, verdictsOf } from '../../../loadtest/demo/report/town-page.js';
import { buildTown } from '../../../loadtest/demo/town/build-town.js';
import { headlessChromium } from '../../support/headless-chromium.js';

const START = Date.UTC(2026, 2, 2);
const TOWN = { seed: 11, people: 48, days: 2 };

/**
 * The demo end to end on the real stack (the backend's thread, HTTP, SQLite), a small seeded town
 * at full speed on the town's own clock: twice, under the backend's default policy and under a
 * what-if policy. Its claims are checked against the API and against the simulator's truth.
 */
describe('npm run demo, end to end', { timeout: 900_000 }, () => {
  let dir: string;
  let session: DemoSession;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'proxitrace-demo-'));
    session = await runDemoSession({
      ...TOWN,
      speed: 'max',
      start: START,
      baseEnv: {},
      comparePolicy: { HOP_PROBABILITY: '1/2', MIN_NOTIFY_PROBABILITY: '0.2' },
      runDir: dir,
    });
  }, 900_000);

  afterAll(async () => {
    await Promise.allSettled((session?.outcomes ?? []).map((o) => o.run.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds the same town from the same seed', () => {
    const again = buildTown({ ...TOWN, start: START });
    expect(again.people).toEqual(session.town.people);
    expect(again.stays).toEqual(session.town.stays);
    expect(again.cases).toEqual(session.town.cases);
    expect(session.town.cases.length).toBeGreaterThanOrEqual(2);
  });

  it('runs both policies to the end with no dead letters, no backend errors and no failed calls', () => {
    expect(session.aborted).toBe(false);
    expect(session.outcomes.map((o) => o.label)).toEqual(['hop 1/3 · warn while p ≥ 0.1 · 15 weighted min', 'hop 1/2 · warn while p ≥ 0.2 · 15 weighted min']);
    for (const o of session.outcomes) {
      expect(o.run.errors, o.label).toMatchObject({ backendLog: 0, deadLetters: 0 });
      expect(o.run.state.client.failedCalls, o.label).toBe(0);
      expect(o.run.stats.cases).toBe(session.town.cases.length);
      expect(o.run.stats.contactsStored).toBeGreaterThan(100);
      expect(o.run.state.client.relayedBatches, 'dedicated devices were relayed').toBeGreaterThan(0);
    }
  });

  it('every phone the demo says was warned holds that warning in GET /v1/notifications, and the ledger agrees', async () => {
    for (const o of session.outcomes) {
      const claimed = o.run.state.warnings.filter((w) => w.carries === 'phone');
      expect(claimed.length, o.label).toBeGreaterThan(0);
      for (const w of claimed) {
        const notifications = await o.run.phones.get(w.person)!.notifications();
        const held = notifications.find((n) => n.id === w.notificationId);
        expect(held, `${w.name} under ${o.label}`).toBeDefined();
        expect(held!.degree).toBe(w.degree);
        expect(held!.probability).toBeCloseTo(w.probability, 9);
      }
      // And no phone holds a warning the demo did not show.
      const shown = new Set(claimed.map((w) => w.notificationId));
      for (const [person, list] of o.run.phoneNotifications) for (const n of list) expect(shown.has(n.id), `${person}: ${n.id}`).toBe(true);
      expect(o.apiMismatches).toEqual([]);
    }
  });

  it('warns everyone who had a qualifying encounter chain with a case, at its degree, and no one else', () => {
    for (const o of session.outcomes) {
      expect(o.truth.mustWarn, `${o.label}: a town where someone must be warned`).toBeGreaterThan(0);
      expect({ missed: o.truth.missed, extra: o.truth.extra, wrongDegree: o.truth.wrongDegree }, o.label).toEqual({ missed: 0, extra: 0, wrongDegree: 0 });
      expect(o.truth.matched).toBe(o.truth.mustWarn);
      expect(outcomeHolds(o)).toBe(true);
      // Every warning shown says why: the encounter the stores hold.
      for (const w of o.run.state.warnings) expect(w.why?.encounter, `${w.name}: why`).toBeDefined();
    }
  });

  it('compares the policies on the same town: people warned, infected reached, warned for nothing', () => {
    const [first, second] = session.outcomes as [DemoSession['outcomes'][number], DemoSession['outcomes'][number]];
    expect(first.reach.infected).toBe(second.reach.infected);
    for (const o of session.outcomes) {
      expect(o.reach.warnedPeople).toBe(o.warnedPeople.size);
      expect(o.reach.infectedWarned + o.reach.warnedNeverInfected).toBeLessThanOrEqual(o.reach.warnedPeople);
    }
    const text = summaryText(session);
    expect(text).toContain('Policy what-if (the same town)');
    expect(text).toMatch(new RegExp(`people warned\\s+${first.reach.warnedPeople}\\s+${second.reach.warnedPeople}`));
    expect(text).toContain('MATCHES');
  });

  it("ends with the analytics job over the simulated days, whose figures are the stores'", () => {
    for (const o of session.outcomes) {
      const report = o.run.officialsReport!;
      expect(report.file, o.label).toBe(join(dir, `run-${session.outcomes.indexOf(o) + 1}`, 'officials-report.html'));
      expect(report.cases, o.label).toBe(session.town.cases.length);
      expect(report.warnings, o.label).toBe(o.run.stats.notifications);
      expect(report.encounters, o.label).toBeGreaterThan(0);
      expect(report.weeks, 'the town starts on a Monday and lasts two days: one week').toBe(1);
    }
  });

  describe('the town page in headless Chromium', () => {
    let browser: Awaited<ReturnType<typeof headlessChromium>>;

    beforeAll(async () => {
      browser = await headlessChromium();
    }, 600_000);

    afterAll(async () => {
      await browser?.close();
    });

    it('shows everyone, coloured by the warnings against the truth, the days plotted and the what-if, and screenshots it', async () => {
      const file = join(dir, 'town.html');
      writeFileSync(file, townPage(session));
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1240, height: 900 });
      const failures: string[] = [];
      page.on('pageerror', (e) => failures.push(e.message));
      page.on('requestfailed', (r) => failures.push(r.url()));
      await page.goto(`file://${file}`);
      const first = session.outcomes[0]!;
      const verdicts = verdictsOf(session.town, first);
      const map = page.locator('svg.town').first();
      await expect(map.locator('[data-person]').count()).resolves.toBe(session.town.people.length);
      for (const [person, verdict] of [...verdicts].slice(0, 60)) {
        await expect(map.locator(`[data-person="${person}"]`).getAttribute('data-verdict')).resolves.toBe(verdict);
      }
      await expect(map.locator('[data-verdict="warned"]').count()).resolves.toBe(new Set(first.truth.cases.flatMap((c) => c.matched)).size);
      await expect(map.locator('[data-verdict="missed"], [data-verdict="extra"]').count()).resolves.toBe(0);
      await expect(page.locator('.verdict.ok').count()).resolves.toBe(2);
      await expect(page.getByText('Policy what-if: the same town, two policies').count()).resolves.toBe(1);
      const box = await map.boundingBox();
      expect(box!.width).toBeGreaterThan(800);
      // Kept for a person to look at (test-results/ is not committed).
      mkdirSync(resolve(import.meta.dirname, '../../../test-results'), { recursive: true });
      const shot = await page.screenshot({ fullPage: true, path: resolve(import.meta.dirname, '../../../test-results/demo-town.png') });
      expect(shot.subarray(1, 4).toString()).toBe('PNG');
      expect(shot.length).toBeGreaterThan(20_000);
      expect(failures).toEqual([]);
      await page.close();
    }, 120_000);

    it("opens the officials' report of each run offline: every question and the week it covers", async () => {
      for (const o of session.outcomes) {
        const page = await browser.context.newPage();
        const failures: string[] = [];
        page.on('pageerror', (e) => failures.push(e.message));
        page.on('requestfailed', (r) => failures.push(r.url()));
        await page.goto(`file://${o.run.officialsReport!.file}`);
        await expect(page.locator('h1').textContent()).resolves.toBe('Proxitrace analytics');
        await expect(page.locator('section h2').allTextContents()).resolves.toEqual(['Overview', 'Where are infections occurring?', 'Are warned people isolating?', 'Does the R estimate hold?', 'Immunity: are people being reinfected?']);
        await expect(page.locator('header').textContent()).resolves.toContain('Weeks 2026-03-02 to 2026-03-08');
        await expect(page.locator('[data-view="overview-national"]').getAttribute('data-rows')).resolves.toBe('1');
        expect(failures, o.label).toEqual([]);
        await page.close();
      }
    }, 120_000);
  });
});
