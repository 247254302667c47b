import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '../run/backend-env.js';
import { runDemoSession, type DemoSession } from '../run/demo-session.js';
import { outcomeHolds, summaryText } from '../report/summary-text.js';
import { townPage } from '../report/town-page.js';
import { FIXED_TOWN_START, townStartAfter } from '../town/town-start.js';
import { createView } from '../view/live-view.js';
import { startAwsServices, type AwsServicesHandle } from './aws-services.js';
import { DemoArgsError, HELP, parseDemoArgs, type DemoArgs } from './demo-args.js';

async function main(): Promise<number> {
  let args: DemoArgs;
  try {
    args = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof DemoArgsError)) throw error;
    console.error(`npm run demo: ${error.message}`);
    return 2;
  }
  if (args.help) {
    console.log(HELP);
    return 0;
  }
  const out = resolve(args.out ?? join('data', 'demo', `seed-${args.seed}`));
  // Each run starts from empty stores; the folder holds only what the demo wrote.
  for (const run of ['run-1', 'run-2']) rmSync(join(out, run), { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  const interactive = !args.plain && process.stdout.isTTY === true;
  const view = createView(process.stdout, interactive);
  const stop = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    view.note(`${signal}: stopping the town and the backend (Ctrl-C again to leave at once)`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let aws: AwsServicesHandle | undefined;
  let session: DemoSession | undefined;
  try {
    if (args.backend === 'aws') {
      view.note('starting DynamoDB Local, ElasticMQ, OpenSearch and cognito-local (first run: downloads, then cached)…');
      aws = await startAwsServices(out, (m) => view.note(`  ${m}`));
    }
    let last: Parameters<typeof view.finish>[0] | undefined;
    session = await runDemoSession({
      seed: args.seed,
      people: args.people,
      days: args.days,
      speed: args.speed,
      start: args.backend === 'aws' ? townStartAfter(Date.now()) : FIXED_TOWN_START,
      baseEnv: process.env,
      awsEnvForRun: aws?.envForRun,
      comparePolicy: args.comparePolicy,
      runDir: out,
      signal: stop.signal,
      onRunStart: (label, run) => {
        if (last) view.finish(last);
        if (run > 0) view.note(`\nReplaying the same town under ${label}…`);
      },
      onState: (state) => {
        last = state;
        view.update(state);
      },
    });
    if (last) view.finish(last);
    if (session.aborted) {
      view.note('stopped before the end: nothing to judge.');
      return 130;
    }
    const page = join(out, 'town.html');
    writeFileSync(page, townPage(session));
    console.log(summaryText(session));
    console.log(`\nThe town, who was warned and the truth, as a page: ${shown(page)}`);
    for (const o of session.outcomes) {
      const r = o.run.officialsReport!;
      const under = session.outcomes.length > 1 ? ` under ${o.label}` : '';
      console.log(`The officials' report${under} (the analytics job over the days: ${r.cases} cases, ${r.warnings} warnings, ${r.encounters} pair-days): ${shown(r.file)}`);
    }
    console.log(`The backend's log: ${shown(join(out, 'run-1', 'backend.log'))}`);
    return session.outcomes.every(outcomeHolds) ? 0 : 1;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`npm run demo: ${error.message}`);
      return 2;
    }
    throw error;
  } finally {
    await Promise.allSettled((session?.outcomes ?? []).map((o) => o.run.close()));
    await aws?.stop();
  }
}

/** A path as short as it reads: relative under the working directory, absolute elsewhere. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
