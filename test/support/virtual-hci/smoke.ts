// Manual smoke check: npx tsx test/support/virtual-hci/smoke.ts
import { HciRadio } from '../../../device-bridge/src/radio/hci/hci-radio.js';
import { ConsoleOutput } from '../../../device-bridge/src/cli/console-output.js';
import { VirtualAir } from './virtual-air.js';

const air = await VirtualAir.start([
  { id: 'a-scan', position: { x: 0, y: 0 } },
  { id: 'a-adv', position: { x: 0, y: 0 } },
  { id: 'b-scan', position: { x: 3, y: 0 } },
  { id: 'b-adv', position: { x: 3, y: 0 } },
]);
const logger = new ConsoleOutput({ level: 'DEBUG', format: 'auto' }).logger;
const a = await HciRadio.create({ scanner: { uart: air.path('a-scan') }, advertiser: { uart: air.path('a-adv') }, logger, commandTimeoutMs: 2000 });
const b = await HciRadio.create({ scanner: { uart: air.path('b-scan') }, advertiser: { uart: air.path('b-adv') }, logger, commandTimeoutMs: 2000 });
const t0 = Date.now();
await Promise.all([a.start(), b.start()]);
console.log('started in', Date.now() - t0, 'ms');
const heard: string[] = [];
b.onReport((data, rssi, addr) => heard.push(`${addr} ${rssi} ${Buffer.from(data).toString('hex')}`));
await b.startScan();
await a.advertise(Buffer.from('0201060303545017165450' + '10' + 'aa'.repeat(16) + '00' + '0100', 'hex'), { rotateAddress: true });
console.log('a advertising as', a.advertisingAddress());
await new Promise((r) => setTimeout(r, 500));
console.log(heard.length, heard[0]);
await a.advertise(Buffer.from('0201060303545017165450' + '10' + 'bb'.repeat(16) + '00' + '0100', 'hex'), { rotateAddress: true });
console.log('a advertising as', a.advertisingAddress());
await new Promise((r) => setTimeout(r, 500));
console.log(heard.length, heard.at(-1));
console.log(air.controller('a-adv').commands.map((c) => `${c.opcode.toString(16)}:${c.status}`).join(' '));
console.log(air.controller('b-scan').commands.map((c) => `${c.opcode.toString(16)}:${c.status}`).join(' '));
await a.close();
await b.close();
await air.stop();
console.log('closed');
process.exit(0);
