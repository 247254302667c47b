import { randomBytes } from 'node:crypto';
import { encodeAdvert } from '../../ble/advert-codec.js';
import { SimAir } from './sim-air.js';
import type { SimRadio } from './sim-radio.js';

/**
 * `--radio sim` for one bridge process: an air with the bridge's radio at the origin and `peers`
 * simulated phones within 15 m advertising random (not server-issued) tokens that rotate every
 * `peerRotationMs`. Good for trying the CLI; the backend accepts these observations but cannot
 * attribute them to a device.
 */
export function createSimNeighbourhood(options: { peers: number; serviceUuid: number; intervalMs?: number; peerRotationMs?: number }) {
  const air = new SimAir();
  const radio = air.addRadio({ x: 0, y: 0 });
  const peers: SimRadio[] = [];
  for (let i = 0; i < options.peers; i++) {
    const angle = (2 * Math.PI * i) / Math.max(options.peers, 1);
    const distance = 1 + Math.random() * 14;
    peers.push(air.addRadio({ x: Math.cos(angle) * distance, y: Math.sin(angle) * distance }));
  }
  const rotatePeers = () =>
    Promise.all(
      peers.map((p) => p.advertise(encodeAdvert({ serviceUuid: options.serviceUuid, token: randomBytes(16), txPower: 0, counter: 0 }), { rotateAddress: true })),
    );
  let rotation: NodeJS.Timeout | undefined;
  const originalStart = radio.start.bind(radio);
  const originalClose = radio.close.bind(radio);
  radio.start = async () => {
    await originalStart();
    await Promise.all(peers.map((p) => p.start()));
    await rotatePeers();
    rotation = setInterval(() => void rotatePeers(), options.peerRotationMs ?? 10 * 60_000);
    air.start(options.intervalMs ?? 200);
  };
  radio.close = async () => {
    clearInterval(rotation);
    air.stop();
    await Promise.all(peers.map((p) => p.close()));
    await originalClose();
  };
  return { air, radio, peers };
}
