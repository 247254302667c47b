import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { ensureSystemTool } from './system-tool.js';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The flags this machine needs: no sandbox as root, and no background connections (the network is closed). */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Debian's Chromium, installed by the test set-up when it is missing (Playwright's own browser download
 * cannot work here). Needs root and Debian's package sources, as on CI.
 */
export function chromiumExecutable(): string {
  ensureSystemTool('chromium');
  const installed = CANDIDATES.find((path) => existsSync(path));
  if (!installed) throw new Error('apt-get install chromium did not provide /usr/bin/chromium');
  return installed;
}

/** A fresh headless Chromium profile of its own; `close` ends the browser and removes the profile. */
export async function headlessChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumExecutable(), headless: true, args: FLAGS });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
