// Manual helper: `npx tsx test/device-bridge/support/run-fake-backend.ts [ttlMinutes]` prints the URL.
import { startFakeBackend } from './fake-backend.js';

const backend = await startFakeBackend({ ttlMinutes: Number(process.argv[2] ?? 180) });
process.stdout.write(`${backend.url}\n`);
process.on('SIGTERM', () => void backend.stop().then(() => process.exit(0)));
