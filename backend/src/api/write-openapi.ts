import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildOpenApiDocument } from './openapi.js';

const HELP = `Usage: npm run openapi -- [--out FILE]

Writes the device-facing API's OpenAPI 3.1 document, generated from the request and
response schemas the handlers validate with.

  --out FILE   where to write it (default: backend/openapi.json)
  --help       show this help`;

const { values } = parseArgs({ options: { out: { type: 'string', default: 'backend/openapi.json' }, help: { type: 'boolean', default: false } } });
if (values.help) {
  console.log(HELP);
} else {
  const out = resolve(values.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
  console.log(`wrote ${out}`);
}
