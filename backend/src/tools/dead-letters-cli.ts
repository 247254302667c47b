import { parseArgs } from 'node:util';
import { loadBackendConfig } from '../config/backend-config.js';
import type { BackendServices } from '../composition/backend-services.js';
import { createLogger } from '../composition/logger.js';
import type { DeadLetter } from '../ports/dead-letters.js';
import { runTool, usageError } from './cli-exit.js';

const TOOL = 'dead-letters';

const HELP = `Usage: npm run dead-letters -- <command> [options]

Inspects and repairs what the contact consumer and the tracer gave up on, on the backend the
environment names (BACKEND=embedded: the SQLite file in DATA_DIR; BACKEND=aws: the SQS dead-letter
queues), while the backend runs or not.

Commands
  list                 every dead letter: id, source (contacts | tracing), attempts, when, reason
  show ID              one dead letter in full, its body pretty-printed
  redrive ID... | --all  send them back to be processed once more (a batch already stored is not
                       stored twice); the running consumer or tracer picks them up
  purge ID... | --all  drop them for good

Options
  --json               print JSON instead of a table
  --limit N            list at most N (default 100)
  -h, --help           this text`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, all: { type: 'boolean' }, json: { type: 'boolean' }, limit: { type: 'string' } },
  });
  const [command, ...ids] = positionals;
  if (values.help || !command) {
    console.log(HELP);
    return values.help ? 0 : 2;
  }
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) return fail('--limit must be a whole number of at least 1');
  if ((command === 'redrive' || command === 'purge') && !values.all && ids.length === 0) return fail(`${command} needs dead-letter ids or --all`);
  if (command === 'show' && ids.length !== 1) return fail('show needs exactly one dead-letter id');
  if (!['list', 'show', 'redrive', 'purge'].includes(command)) return fail(`unknown command "${command}"; try --help`);

  const config = loadBackendConfig({ LOG_LEVEL: 'SILENT', ...process.env });
  const logger = createLogger(config);
  // Only the chosen backend's adapters are loaded: the AWS SDK alone takes seconds to import.
  const services: BackendServices =
    config.backend === 'aws'
      ? await (await import('../composition/aws.js')).createAwsServices(config, logger)
      : await (await import('../composition/embedded.js')).createEmbeddedServices(config, logger);
  try {
    const { deadLetters } = services;
    switch (command) {
      case 'list': {
        const letters = await deadLetters.list(limit);
        if (values.json) console.log(JSON.stringify(letters, null, 2));
        else printTable(letters);
        return 0;
      }
      case 'show': {
        const letter = await deadLetters.get(ids[0]!);
        if (!letter) return fail(`no dead letter with id ${ids[0]}`);
        console.log(values.json ? JSON.stringify(letter, null, 2) : describe(letter));
        return 0;
      }
      case 'redrive':
      case 'purge': {
        const done = command === 'redrive' ? await deadLetters.redrive(values.all ? 'all' : ids) : await deadLetters.purge(values.all ? 'all' : ids);
        const verb = command === 'redrive' ? 'redriven' : 'purged';
        if (values.json) console.log(JSON.stringify({ [verb]: done }));
        else console.log(`${done} dead letter${done === 1 ? '' : 's'} ${verb}`);
        return !values.all && done < ids.length ? 1 : 0;
      }
    }
    return 2;
  } finally {
    await services.close();
  }
}

function printTable(letters: readonly DeadLetter[]): void {
  if (letters.length === 0) {
    console.log('no dead letters');
    return;
  }
  const rows = letters.map((d) => [d.id, d.source, String(d.attempts), d.failedAt.toISOString(), d.reason.length > 100 ? `${d.reason.slice(0, 97)}...` : d.reason]);
  const header = ['ID', 'SOURCE', 'ATTEMPTS', 'FAILED AT', 'REASON'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) console.log(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
  console.log(`\n${letters.length} dead letter${letters.length === 1 ? '' : 's'}; \`show ID\` prints one in full`);
}

function describe(d: DeadLetter): string {
  let body: string;
  try {
    body = JSON.stringify(JSON.parse(d.body), null, 2);
  } catch {
    body = d.body;
  }
  return `id:        ${d.id}\nsource:    ${d.source}\nattempts:  ${d.attempts}\nfailed at: ${d.failedAt.toISOString()}\nreason:    ${d.reason}\nbody:\n${body}`;
}

const fail = (message: string) => usageError(TOOL, message);

runTool(TOOL, main);
