import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { officialsReport } from '../reporting/officials-report.js';
import { cliServices, parseSince } from './cli-services.js';
import { runTool, usageError } from './cli-exit.js';

const TOOL = 'report';

const HELP = `Usage: npm run report -- [--since 7d] [--out FILE]

Writes the officials' report as one static HTML page: the same four answers as the dashboards
(where infections occur; whether the warned isolate; whether the R estimate holds; reinfections),
with charts and tables drawn from the same view queries, on the backend the environment names
(BACKEND=embedded: the analytics file in DATA_DIR; BACKEND=aws: the search engine's analytics
indices). The page loads nothing from the network: it can be mailed, archived or printed.

The figures come from the analytics job (\`npm run analytics\`, or its schedule); cells of fewer
than ANALYTICS_MIN_CELL_SIZE people show as withheld.

Options
  --since T    the first week shown: 7d, 8w, 90d, or an ISO date (default 12w)
  --out FILE   where to write it (default analytics-report-<date>.html)
  -h, --help   this text`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' }, since: { type: 'string' }, out: { type: 'string' } } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const services = await cliServices();
  try {
    const now = services.clock();
    const since = parseSince(values.since ?? '12w', now);
    if (!since) return fail(`--since must be a duration such as 7d or 8w, or an ISO date, not ${JSON.stringify(values.since)}`);
    const report = await officialsReport(services, since);
    const out = resolve(values.out ?? `analytics-report-${now.toISOString().slice(0, 10)}.html`);
    writeFileSync(out, report.html);
    console.log(`wrote ${out}: ${report.weeks} weeks, ${report.rows} rows across ${report.charts} charts and tables`);
    return 0;
  } finally {
    await services.close();
  }
}

const fail = (message: string) => usageError(TOOL, message);

runTool(TOOL, main);
