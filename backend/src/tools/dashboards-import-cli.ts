import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { importSavedObjects, type DashboardsAuth } from '../reporting/import-saved-objects.js';
import { savedObjects, toNdjson } from '../reporting/saved-objects.js';
import { runTool, usageError } from './cli-exit.js';

const TOOL = 'dashboards:import';

const HELP = `Usage: npm run dashboards:import -- --url URL [--auth user:password | --api-key KEY] [options]

Imports the officials' dashboards (an overview and one per question: where infections occur,
whether the warned isolate, whether the R estimate holds, reinfections) into Kibana 8 or OpenSearch
Dashboards 2.x, through their shared saved-objects import API. The bundle holds an index pattern
over the analytics figures indices, one aggregation-based visualisation per chart or table (the
7.10 format both accept; Kibana migrates it on import) and the dashboards. Importing again
replaces them (their ids are fixed).

Options
  --url URL            the dashboards' base URL, e.g. http://localhost:5601
  --auth USER:PASS     basic auth (Kibana, OpenSearch Dashboards with the security plugin);
                       PASS may come from DASHBOARDS_PASSWORD instead
  --api-key KEY        Kibana: an encoded API key (Authorization: ApiKey KEY)
  --space NAME         Kibana: import into this space
  --index-prefix P     the analytics indices' prefix, SEARCH_INDEX_PREFIX (default proxitrace-)
  --no-overwrite       keep objects already there and report them as conflicts
  --out FILE           write the bundle (NDJSON) to FILE; without --url, import nothing
  -h, --help           this text

Set the advanced setting dateFormat:tz to UTC so that weeks start on Monday 00:00 UTC as the
figures do (docs/ANALYTICS.md).`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h' },
      url: { type: 'string' },
      auth: { type: 'string' },
      'api-key': { type: 'string' },
      space: { type: 'string' },
      'index-prefix': { type: 'string' },
      'no-overwrite': { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const indexPrefix = values['index-prefix'] ?? process.env.SEARCH_INDEX_PREFIX ?? 'proxitrace-';
  if (values.out) {
    writeFileSync(values.out, toNdjson(savedObjects(indexPrefix)));
    console.log(`wrote ${values.out}: ${savedObjects(indexPrefix).length} saved objects`);
    if (!values.url) return 0;
  }
  if (!values.url) return fail('--url is required (or --out FILE to only write the bundle); try --help');
  if (!/^https?:\/\//.test(values.url)) return fail(`--url must be an http(s) URL, not ${JSON.stringify(values.url)}`);
  if (values.auth && values['api-key']) return fail('--auth and --api-key exclude each other');
  const auth = authOf(values.auth, values['api-key']);
  if (typeof auth === 'string') return fail(auth);
  const result = await importSavedObjects({ url: values.url, auth, space: values.space, overwrite: !values['no-overwrite'], indexPrefix });
  for (const e of result.errors) console.error(`  ${e.type} ${e.id}${e.title ? ` (${e.title})` : ''}: ${e.error.type}`);
  if (!result.success) {
    console.error(`dashboards:import: nothing was imported (${result.errors.length} problems above)`);
    return 1;
  }
  console.log(`imported ${result.successCount} saved objects into ${values.url}${values.space ? ` (space ${values.space})` : ''}`);
  return 0;
}

function authOf(basic: string | undefined, apiKey: string | undefined): DashboardsAuth | string {
  if (apiKey) return { kind: 'api-key', key: apiKey };
  if (!basic) return { kind: 'none' };
  const colon = basic.indexOf(':');
  const username = colon < 0 ? basic : basic.slice(0, colon);
  const password = colon < 0 ? process.env.DASHBOARDS_PASSWORD : basic.slice(colon + 1);
  if (!username || !password) return '--auth must be USER:PASSWORD (or USER with DASHBOARDS_PASSWORD set)';
  return { kind: 'basic', username, password };
}

const fail = (message: string) => usageError(TOOL, message);

runTool(TOOL, main);
