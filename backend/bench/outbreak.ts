import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { awsOutbreakBackend, embeddedOutbreakBackend, type OutbreakBackend, type OutbreakBackendName } from './outbreak/outbreak-backends.js';
import { HELP, parseOutbreakArgs } from './outbreak/outbreak-options.js';
import { outbreakTable } from './outbreak/outbreak-table.js';
import { measureOutbreak, type OutbreakFigures } from './outbreak/measure-outbreak.js';

const parsed = parseOutbreakArgs(process.argv.slice(2));
if ('help' in parsed) {
  console.log(HELP);
  process.exit(0);
}
if ('error' in parsed) {
  console.error(parsed.error);
  process.exit(2);
}
const { options } = parsed;
const at = new Date();
const loadAtStart = loadavg();
const results: { backend: OutbreakBackendName; outbreaks: OutbreakFigures[] }[] = [];
const clock = () => new Date();
for (const name of options.backends) {
  console.log(`${name}: starting`);
  const backend: OutbreakBackend = name === 'embedded' ? await embeddedOutbreakBackend(clock) : await awsOutbreakBackend(clock, (m) => console.log(`  ${m}`));
  const outbreaks: OutbreakFigures[] = [];
  try {
    for (const reach of options.reaches) {
      process.stdout.write(`${name}: outbreak reaching ${reach.toLocaleString('en-US')} devices … `);
      const figures = await measureOutbreak(backend, reach);
      console.log(`traced in ${figures.seconds.toFixed(2)} s, ${figures.tasks} tasks`);
      outbreaks.push(figures);
    }
  } finally {
    await backend.close();
  }
  results.push({ backend: name, outbreaks });
}
console.log(`\n${outbreakTable(results)}\n`);
const result = { bench: 'outbreak', at: at.toISOString(), machine: { cpus: cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadavg() }, results };
mkdirSync(options.out, { recursive: true });
const file = join(options.out, `outbreak-${at.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`result: ${file}`);
