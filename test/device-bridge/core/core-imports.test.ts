import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const CORE = join(ROOT, 'device-bridge/src/core');

/** Runtime imports (type-only ones load nothing) of one file, relative ones resolved to .ts files. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*import\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)]
    .filter((m) => m[1] === undefined)
    .map((m) => m[2]!)
    .map((spec) => (spec.startsWith('.') ? resolve(file, '..', spec).replace(/\.js$/, '.ts') : spec));
}

/** Every file and package the core loads, following relative imports. */
function closure(): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = readdirSync(CORE).filter((f) => f.endsWith('.ts')).map((f) => join(CORE, f));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const target of runtimeImports(file)) {
      if (target.startsWith('/')) queue.push(target);
      else packages.add(target);
    }
  }
  return { files: [...files].map((f) => relative(ROOT, f)).sort(), packages: [...packages].sort() };
}

describe("the bridge's core", () => {
  // It runs on small boxes (bench:bridge: ≤ 64 MB with 100,000 tokens cached); zod alone adds ~12 MB.
  it('loads no npm package and no adapter: Node built-ins, its ports, the codec and the shared duration format only', () => {
    const { files, packages } = closure();
    expect(packages.filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect(files.filter((f) => !/^device-bridge\/src\/(core|ble|ports)\/|^device-bridge\/src\/upload\/(uploader|backoff)\.ts$|^backend\/src\/config\/duration-format\.ts$/.test(f))).toEqual([]);
  });
});
