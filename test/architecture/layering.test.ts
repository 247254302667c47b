import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typescriptFiles } from './typescript-files.js';

const SRC = resolve(import.meta.dirname, '../../backend/src');


function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

/** Imports resolved to a folder under backend/src (e.g. "adapters"), or the package name. */
function targets(file: string): string[] {
  return importsOf(file).map((spec) => (spec.startsWith('.') ? relative(SRC, resolve(file, '..', spec)).split('/')[0]! : spec));
}

describe('layering', () => {
  it.each([
    ['domain', ['application', 'ports', 'adapters', 'handlers', 'composition', 'local', 'api', 'config'], [/^node:(fs|http|https|net|child_process)/, /^@aws/, /aws-lambda/, /better-sqlite3/, /zod/]],
    ['ports', ['application', 'adapters', 'handlers', 'composition', 'local'], [/^node:(fs|http|net)/, /^@aws/, /better-sqlite3/]],
    ['application', ['adapters', 'handlers', 'composition', 'local'], [/^node:(fs|http|net)/, /^@aws/, /aws-lambda/, /better-sqlite3/]],
    ['handlers', ['adapters', 'local'], [/better-sqlite3/]],
  ])('%s imports nothing from outer layers or infrastructure', (layer, forbiddenFolders, forbiddenPackages) => {
    const violations = typescriptFiles(join(SRC, layer)).flatMap((file) =>
      targets(file)
        .filter((t) => forbiddenFolders.includes(t) || forbiddenPackages.some((p) => p.test(t)))
        .map((t) => `${relative(SRC, file)} → ${t}`),
    );
    expect(violations).toEqual([]);
  });
});
