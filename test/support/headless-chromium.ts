import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { inheritedEnv } from './child-env.js';

const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, installed by the test set-up itself when the machine lacks it. */
function ensureChromium(): string {
  if (!existsSync(CHROMIUM)) {
    const env = { ...inheritedEnv(), DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { env, stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env, stdio: 'ignore' });
  }
  return CHROMIUM;
}

/**
 * Headless Chromium with a fresh profile and without its background traffic (the machine's closed
 * network refuses it, and a test page must not depend on it either).
 */
export async function launchChromium(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  // Playwright gives each launch its own empty profile; this directory holds Chromium's crash dumps.
  const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
  const browser = await chromium.launch({
    executablePath: ensureChromium(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--crash-dumps-dir=${profile}`],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
