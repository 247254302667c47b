import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { AnalyticsProgress } from '../application/analytics/analytics-job.js';
import { runAnalytics } from '../application/analytics/run-analytics.js';
import { describeKeptWeeks } from '../application/analytics/week-inputs.js';
import { isoDate } from '../domain/analytics/calendar.js';
import { analyticsJobDeps } from '../handlers/analytics-handlers.js';
import { cliServices, parseSince } from './cli-services.js';
import { runTool, usageError } from './cli-exit.js';

const TOOL = 'analytics';

const HELP = `Usage: npm run analytics -- [--since 7d] [--quiet]

Runs the analytics job once, on the backend the environment names (BACKEND=embedded: the SQLite
files in DATA_DIR; BACKEND=aws: DynamoDB and the search engine), while the backend runs or not:

  1. derives pseudonymous analytics records (cases, warnings, pair-day encounters, device activity)
     from what the operational stores hold since --since, with regions instead of places;
  2. recomputes the figures of every week those records touch (new cases, warnings by degree,
     secondary attack rate, R from case counts and from the traced chains, isolation compliance,
     reinfections), each cell of fewer than ANALYTICS_MIN_CELL_SIZE people withheld. Weeks whose
     analytics records are partly past retention (encounters after ANALYTICS_ENCOUNTER_RETENTION_DAYS)
     are left as published, and the summary says which.

The local stack runs the same job every ANALYTICS_INTERVAL_MINUTES; in AWS an EventBridge schedule
invokes backend/src/lambda/run-analytics.ts. Re-running over the same period is harmless.

Options
  --since T    how far back to derive: 36h, 7d, 2w, or an ISO date (default ANALYTICS_WINDOW_DAYS);
               at most what the operational stores still hold (RETENTION_DAYS)
  --json       print the summary as JSON
  --quiet      no progress bar
  -h, --help   this text`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' }, since: { type: 'string' }, json: { type: 'boolean' }, quiet: { type: 'boolean' } } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const services = await cliServices();
  try {
    const now = services.clock();
    const since = values.since === undefined ? new Date(now.getTime() - services.config.analytics.windowMs) : parseSince(values.since, now);
    if (!since) return fail(`--since must be a duration such as 7d, 36h or 2w, or an ISO date, not ${JSON.stringify(values.since)}`);
    const progress = values.quiet || values.json ? undefined : progressView();
    const run = await runAnalytics(analyticsJobDeps(services, progress?.update), since).finally(() => progress?.stop());
    if (values.json) {
      console.log(JSON.stringify(run, null, 2));
    } else {
      const d = run.derived;
      console.log(`since ${since.toISOString()}: ${d.cases} cases, ${d.notifications} warnings, ${d.encounters} pair-days, ${d.activity} device-days derived` + (d.erased > 0 ? ` (${d.erased} erased devices forgotten again)` : ''));
      const weeks = run.computed.weeks;
      console.log(`${run.computed.figures} figure documents over ${weeks.length} weeks` + (weeks.length > 0 ? ` (${isoDate(weeks[0]!)} onwards)` : '') + ` in ${(run.ms / 1000).toFixed(1)} s`);
      const kept = describeKeptWeeks(run.computed.kept);
      if (kept) console.log(kept);
    }
    return 0;
  } finally {
    await services.close();
  }
}

/** A bar on a terminal, a line per step on a pipe. */
function progressView(): { update: (e: AnalyticsProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { update: (e) => console.error(`analytics: ${e.step} (${e.done}/${e.total})`), stop: () => {} };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: '{bar} {value}/{total} steps | {step}', hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update: (e) => {
      if (!started) bar.start(e.total, 0, { step: e.step });
      started = true;
      bar.setTotal(Math.max(e.total, e.done));
      bar.update(e.done, { step: e.step });
    },
    stop: () => started && bar.stop(),
  };
}

const fail = (message: string) => usageError(TOOL, message);

runTool(TOOL, main);
