import { parseArgs } from 'node:util';
import { parseLoadOptions } from './config/load-options.js';
import { createProgress } from './progress/live-progress.js';
import { summaryText } from './report/summary-text.js';
import { writeReport } from './report/write-report.js';
import { PreflightError } from './run/preflight.js';
import { runLoad } from './run/run-load.js';
import { SCENARIOS } from './scenarios/index.js';

const HELP = `Usage: npm run loadtest -- --target URL [--scenario NAME] [--duration 60s] [options]

Population-driven, open-loop load against the Proxitrace device API. Requests are sent at their scheduled
times whatever the latency, and latency is measured from the scheduled time. Writes a JSON result and a
self-contained HTML report to --out.

Target and authentication
  --target URL            base URL: http://127.0.0.1:3000 for the local stack, or an API Gateway URL with stage
  --official-phone E164   a number in the server's OFFICIAL_PHONE_NUMBERS; enables infection reports and queue stats
  --official-totp-secret S  that official's authenticator secret, once enrolled (a fresh server enrols one itself
                          and prints it); the official's session is kept in --out and resumed by later runs
  --credentials FILE      pre-created Cognito test users for a deployment (format in loadtest/README.md);
                          without it devices sign up via /v1/auth/sms (server needs DEV_SMS_ECHO=1) with
                          fictional phone numbers (+1 NPA 555-0100…0199), so no SMS can reach a person
  --refresh-ahead D       renew access tokens this long before they expire (default 5m)

Before any load, a preflight checks that the target answers GET /health and that the official really is
one; each failed check prints one line and the run exits with status 3.

Scenario
  --scenario NAME         ${Object.values(SCENARIOS).map((s) => s.name).join(' | ')} (default smoke)
${Object.values(SCENARIOS).map((s) => `                            ${s.name}: ${s.description}`).join('\n')}
  --duration D            e.g. 5s, 60s, 10m (default: the scenario's)
  --scale F               fraction of national peak (48M users; ~2,222 uploads/s and ~4,444 token calls/s at 1)
  --devices N             simulated devices (default: the scenario's); time compression follows from scale
  --compression X         set the time compression directly instead of --scale
  --arrivals KIND         poisson | constant (default poisson)
  --tokens-per-call N     token windows per POST /v1/tokens, 1–8 (default 1, the design's figure)
  --flush-after D         batch flush timer in simulated time (default 480m)
  --seed N                random seed for arrivals and contacts (default 1)

Generator limits
  --max-in-flight N       concurrent requests (default 512); beyond it requests wait in the backlog
  --max-backlog N         waiting requests (default 100000); beyond it they are dropped and counted
  --connections N         HTTP connections in the pool (default 128)
  --slice D               time-series slice (default 1s)
  --stats-interval D      how often to read /v1/admin/stats (default 1s)
  --drain-timeout D       how long to wait for in-flight requests and for the server queue to drain (default 30s)

Soak watch (the server on this machine, e.g. npm start; Linux /proc)
  --watch-pid N           sample the server process's resident memory (RSS) through the run; the result gives
                          its start, end, max and slope (whole run and second half), and the report plots it
  --watch-files A,B       also sample these files' sizes, e.g. data/proxitrace.sqlite,data/proxitrace.sqlite-wal
  --watch-interval D      how often to sample (default 5s)

Output
  --out DIR               output directory (default loadtest-results)
  --quiet                 no live progress
  --help                  show this help

Exit status: 0 when nothing failed, was dropped or abandoned; 1 otherwise; 2 for invalid flags; 3 when a
preflight check failed.
`;

async function main(argv: string[]): Promise<number> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        help: { type: 'boolean' },
        quiet: { type: 'boolean' },
        ...Object.fromEntries(
          [
            'target', 'scenario', 'duration', 'scale', 'devices', 'compression', 'arrivals', 'tokens-per-call', 'flush-after',
            'max-in-flight', 'max-backlog', 'connections', 'official-phone', 'official-totp-secret', 'credentials', 'stats-interval', 'drain-timeout',
            'slice', 'seed', 'out', 'refresh-ahead', 'watch-pid', 'watch-files', 'watch-interval',
          ].map((name) => [name, { type: 'string' as const }]),
        ),
      },
    }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const parsed = parseLoadOptions(values);
  if (!parsed.ok) {
    process.stderr.write(`Invalid options:\n${parsed.problems.map((p) => `  ${p}`).join('\n')}\nRun with --help for usage.\n`);
    return 2;
  }
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  try {
    const result = await runLoad(parsed.options, {
      progress: createProgress(process.stderr, parsed.options.quiet),
      log: (line) => process.stderr.write(`${line}\n`),
      signal: abort.signal,
    });
    const files = writeReport(result, parsed.options.out);
    process.stdout.write(`${summaryText(result)}\nJSON: ${files.json}\nHTML: ${files.html}\n`);
    return result.totals.failed + result.totals.dropped + result.totals.abandoned > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof PreflightError) {
      process.stderr.write(error.problems.map((p) => `preflight failed: ${p}\n`).join(''));
      return 3;
    }
    process.stderr.write(`loadtest failed: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
