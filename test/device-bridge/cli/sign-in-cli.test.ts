import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENDING_FILE } from '../../../device-bridge/src/store/bridge-secrets.js';
import { startLocalServer, type LocalServer } from '../../support/local-server.js';
import { BridgeProcess } from '../support/bridge-process.js';
import { closedPort } from '../support/ports.js';

const PHONE = '+15550160001';

/**
 * The bridge's sign-in as an operator meets it without a terminal, against the real local stack
 * without the development echo: the code is only in the server's log, as it would only be on the
 * operator's phone.
 */
describe('bridge sign-in without a terminal (two steps, no SMS pumping)', { timeout: 90_000 }, () => {
  let server: LocalServer;
  let root: string;
  let dataDir: string;
  const smsSent = () => server.logs.filter((l) => l.includes('SMS (local stack: not sent)'));
  const lastCode = () => /\b(\d{6})\b/.exec(JSON.parse(smsSent().at(-1)!).text as string)![1]!;
  const bridge = (args: string[]) => new BridgeProcess('bridge', ['--api', server.url, '--data-dir', dataDir, ...args]);
  const provision = (args: string[]) => new BridgeProcess('provision', ['provision', '--data-dir', dataDir, ...args]);
  const run = async (p: BridgeProcess) => ({ code: await p.exit(), text: [...p.stderr, ...p.stdout].join('\n') });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'bridge-sign-in-'));
    dataDir = join(root, 'bridge');
    server = await startLocalServer({ env: { DEV_SMS_ECHO: '' } });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('a bridge started without a session or a phone number exits 3 and says how to sign in; nothing is sent', async () => {
    const { code, text } = await run(bridge(['--radio', 'sim', '--sim-peers', '0']));
    expect(code).toBe(3);
    expect(text).toContain(`not signed in: sign this bridge in first: npm run bridge -- provision --api ${server.url} --phone +E164 --data-dir ${dataDir}`);
    expect(smsSent()).toHaveLength(0);
  });

  it('with --phone it sends one code, keeps the challenge, exits 3 and names the second step', async () => {
    const { code, text } = await run(bridge(['--radio', 'sim', '--sim-peers', '0', '--phone', PHONE]));
    expect(code).toBe(3);
    expect(text).toContain(`an SMS code was sent to ${PHONE}`);
    expect(text).toContain(`enter it with: npm run bridge -- provision --data-dir ${dataDir} --code CODE`);
    expect(smsSent()).toHaveLength(1);
    expect(existsSync(join(dataDir, PENDING_FILE))).toBe(true);
  });

  it('started again (a supervisor restarting it), it sends no second code', async () => {
    for (let i = 0; i < 2; i++) {
      const { code, text } = await run(bridge(['--radio', 'sim', '--sim-peers', '0', '--phone', PHONE]));
      expect(code).toBe(3);
      expect(text).toContain(`not signed in: an SMS code was sent to ${PHONE}`);
    }
    const again = await run(provision(['--api', server.url, '--phone', PHONE]));
    expect(again.code).toBe(0);
    expect(again.text).toContain('no new code sent (add --resend for one)');
    expect(smsSent()).toHaveLength(1);
  });

  it('a wrong code fails with exit 1 and keeps the challenge; the right one then signs in, without --api', async () => {
    const wrong = lastCode() === '000000' ? '111111' : '000000';
    const failed = await run(provision(['--code', wrong]));
    expect(failed.code).toBe(1);
    expect(failed.text).toContain(`sign-in failed: that is not the code sent to ${PHONE}; the same code can be entered again (no new SMS)`);
    const done = await run(provision(['--code', lastCode()]));
    expect(done.code, done.text).toBe(0);
    expect(done.text).toMatch(/signed in as device [0-9a-f-]{36}/);
    expect(existsSync(join(dataDir, PENDING_FILE))).toBe(false);
    expect(readdirSync(dataDir)).toContain('session.sealed');
    expect(smsSent()).toHaveLength(1);
  });

  it('the signed-in bridge runs unattended: advertises server tokens, and a code entered again finds nothing pending', async () => {
    const p = bridge(['--radio', 'sim', '--sim-peers', '0', '--status-interval', '200ms']);
    await p.waitFor('advertising', () => p.last?.address !== undefined && p.last.tokens >= 1, 40_000);
    expect(await p.stop()).toBe(0);
    const nothing = await run(provision(['--code', '123456', '--api', server.url]));
    expect(nothing.code).toBe(2);
    expect(nothing.text).toContain('no sign-in is pending');
    const already = await run(provision(['--api', server.url, '--phone', PHONE]));
    expect(already.code).toBe(0);
    expect(already.text).toContain('already signed in as device');
    expect(smsSent()).toHaveLength(1);
  });

  it('npm run provision through the signed-in bridge: the owner gets one code, entered on a second run', async () => {
    const device = join(root, 'device');
    const owner = '+15550160099';
    const provisionDevice = (args: string[]) =>
      run(new BridgeProcess('provision-device', ['--api', server.url, '--data-dir', device, '--credentials-dir', dataDir, '--key-file', `${dataDir}.key`, ...args], 'device-bridge/src/cli/provision.ts'));
    const first = await provisionDevice(['--owner-phone', owner]);
    expect(first.code, first.text).toBe(3);
    expect(first.text).toContain(`a code was sent to the owner, ${owner}`);
    expect(first.text).toContain(`--data-dir ${device} --owner-code CODE`);
    expect(smsSent()).toHaveLength(2);
    const again = await provisionDevice(['--owner-phone', owner]);
    expect(again.code).toBe(3);
    expect(again.text).toContain('no new code sent (add --resend for one)');
    expect(smsSent()).toHaveLength(2);
    const code = lastCode();
    const wrong = await provisionDevice(['--owner-code', code === '000000' ? '111111' : '000000']);
    expect(wrong.code).toBe(1);
    expect(wrong.text).toContain(`that is not the code sent to ${owner}; it can be entered again (no new SMS)`);
    const done = await provisionDevice(['--owner-code', code]);
    expect(done.code, done.text).toBe(0);
    expect(existsSync(join(device, 'provisioning.json'))).toBe(true);
    expect(smsSent()).toHaveLength(2);
  });

  it('an unreachable backend is named with its cause', async () => {
    const other = join(root, 'other');
    const port = await closedPort();
    const p = new BridgeProcess('provision', ['provision', '--data-dir', other, '--api', `http://127.0.0.1:${port}`, '--phone', PHONE]);
    const { code, text } = await run(p);
    expect(code).toBe(1);
    expect(text).toContain(`sign-in failed: connection refused to 127.0.0.1:${port}`);
  });
});
