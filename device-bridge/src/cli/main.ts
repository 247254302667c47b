import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, helpText, type BridgeConfig } from '../config/config.js';
import { Bridge } from '../core/bridge.js';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { createRadio } from '../radio/select-radio.js';
import { BridgeApiClient } from '../upload/api-client.js';
import { AuthSession, FileCredentialStore } from '../upload/auth-session.js';
import { JsonHttp } from '../upload/http.js';
import { jsonLogger } from './logger.js';
import { smsCodeProvider } from './sms-code.js';
import { StatusLine } from './status-line.js';

async function main(): Promise<number> {
  const loaded = loadConfig(process.argv.slice(2), process.env);
  if (loaded.ok && 'help' in loaded) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  if (!loaded.ok) {
    process.stderr.write(`Invalid configuration:\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}\nRun with --help for all options.\n`);
    return 2;
  }
  return run(loaded.config);
}

async function run(config: BridgeConfig): Promise<number> {
  const logger = jsonLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const credentials = new FileCredentialStore(join(config.dataDir, 'credentials.json'));
  if (credentials.load() === undefined && config.phoneNumber === undefined) {
    process.stderr.write('Invalid configuration:\n  - --phone / BRIDGE_PHONE_NUMBER: is required for the first sign-in (no stored credentials)\n');
    return 2;
  }
  const outbox = new SqliteOutbox(join(config.dataDir, 'outbox.db'));
  const http = new JsonHttp({ baseUrl: config.api });
  const auth = new AuthSession(http, {
    phoneNumber: config.phoneNumber ?? '',
    store: credentials,
    codeProvider: smsCodeProvider(config.smsCode, logger),
  });
  const api = new BridgeApiClient(http, auth);
  const radio = await createRadio(config, logger);
  const bridge = new Bridge(
    { radio, outbox, tokenApi: api, contactsApi: api, logger },
    {
      serviceUuid: config.serviceUuid,
      txPower: config.txPower,
      flushMaxAgeMs: config.flushMaxAge,
      cache: { idleMs: config.observationIdle, maxDurationMs: config.tokenTtl, maxEntries: config.cacheMax },
      prefetch: config.prefetch,
      rotationJitterMs: config.rotationJitter,
      scanWatchdogMs: config.scanWatchdog,
      sweepIntervalMs: config.sweepInterval,
      checkpointIntervalMs: config.checkpointInterval,
    },
  );

  let stopping: Promise<void> | undefined;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      logger.info('shutting down', { signal });
      clearInterval(statusTimer);
      await bridge.stop();
      outbox.close();
    })();
    return stopping;
  };
  const status = new StatusLine();
  const tty = process.stdout.isTTY === true;
  const statusTimer =
    config.statusInterval > 0
      ? setInterval(() => {
          const s = status.snapshot(bridge.stats());
          if (tty) process.stdout.write(`\r\x1b[K${StatusLine.render(s)}`);
          else process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg: 'status', ...s })}\n`);
        }, config.statusInterval)
      : undefined;

  const done = new Promise<number>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stop(sig).then(() => resolve(0), () => resolve(1)));
  });
  try {
    await bridge.start();
  } catch (err) {
    logger.error('start failed', { error: (err as Error).message });
    await stop('start_failed').catch(() => {});
    return 1;
  }
  return done;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
