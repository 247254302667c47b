import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import type { Logger } from '../../ports/logger.js';
import type { SimAir } from './sim-air.js';
import type { SimRadio } from './sim-radio.js';
import { lineReader, parseAirMessage, type AirMessage, type RadioState } from './shared-air-protocol.js';

/**
 * One air for every `--radio sim` process of this user on this machine, over a local socket:
 * the first process to bind it relays radio states between all of them (the hub); when the hub's
 * process ends, the others elect a new one by binding again. On Linux the socket is in the
 * abstract namespace (nothing on disk, gone with its process); elsewhere a file in the temp dir.
 */
export function sharedAirAddress(name: string): string {
  const user = String(process.getuid?.() ?? userInfo().username);
  return process.platform === 'linux' ? `\0proxitrace-sim-air:${user}:${name}` : join(tmpdir(), `proxitrace-sim-air-${user}-${name}.sock`);
}

export class SharedAirLink {
  private socket: Socket | undefined;
  private hub: AirHub | undefined;
  private closing = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly ids = new WeakMap<SimRadio, string>();
  private readonly prefix = `${process.pid}-${randomBytes(3).toString('hex')}`;
  private counter = 0;
  /** Other processes' radios known right now. */
  remoteCount = 0;

  constructor(
    private readonly air: SimAir,
    private readonly address: string,
    private readonly logger: Logger,
  ) {}

  /** True when this process relays for the others. */
  get hosting(): boolean {
    return this.hub !== undefined;
  }

  async start(): Promise<void> {
    this.unsubscribe = this.air.onChange((radio, gone) => this.send(gone ? { t: 'gone', id: this.idOf(radio) } : this.stateOf(radio)));
    await this.join();
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.unsubscribe?.();
    this.socket?.destroy();
    await this.hub?.close();
    this.air.clearRemotes();
  }

  private async join(): Promise<void> {
    for (let attempt = 0; !this.closing; attempt++) {
      const socket = await connect(this.address).catch(() => undefined);
      if (socket) return this.attach(socket);
      // Nobody relays: become the hub (another process may win the race; then connect to it).
      const hub = await AirHub.listen(this.address).catch(() => undefined);
      if (hub) {
        this.hub = hub;
        this.logger.debug('shared sim air: this process relays for the others', { air: printable(this.address) });
        continue;
      }
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 100 * Math.min(attempt + 1, 10)));
    }
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    socket.on(
      'data',
      lineReader(
        (line) => this.receive(parseAirMessage(line)),
        () => socket.destroy(),
      ),
    );
    socket.on('error', () => {});
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.air.clearRemotes();
      this.remoteCount = 0;
      if (this.closing) return;
      // The hub's process ended: elect a new one after a random pause (spreads the binds).
      this.reconnectTimer = setTimeout(() => void this.join(), 20 + Math.random() * 200);
    });
    for (const radio of this.air.localRadios) this.send(this.stateOf(radio));
  }

  private receive(message: AirMessage | undefined): void {
    if (message === undefined || message.id.startsWith(this.prefix)) return;
    if (message.t === 'gone') {
      this.air.removeRemote(message.id);
    } else {
      const payload = message.payload === null ? undefined : Buffer.from(message.payload, 'base64');
      const address = message.address ?? undefined;
      this.air.setRemote(message.id, {
        position: { x: message.x, y: message.y },
        currentPayload: payload,
        txPowerDbm: message.txPower,
        connectable: message.connectable,
        advertisingAddress: () => address,
      });
    }
    this.remoteCount = this.air.remoteCount;
  }

  private send(message: AirMessage): void {
    if (this.socket?.writable) this.socket.write(`${JSON.stringify(message)}\n`);
  }

  private idOf(radio: SimRadio): string {
    let id = this.ids.get(radio);
    if (id === undefined) {
      id = `${this.prefix}-${this.counter++}`;
      this.ids.set(radio, id);
    }
    return id;
  }

  private stateOf(radio: SimRadio): RadioState {
    const payload = radio.currentPayload;
    return {
      t: 'state',
      id: this.idOf(radio),
      x: radio.position.x,
      y: radio.position.y,
      txPower: radio.txPowerDbm,
      address: radio.advertisingAddress() ?? null,
      payload: payload === undefined ? null : payload.toString('base64'),
      connectable: radio.isConnectable,
    };
  }
}

/** The relay between the processes on one shared air: forwards each line to the others, replays the current states to a newcomer. */
class AirHub {
  private readonly states = new Map<string, { owner: Socket; line: string }>();
  private readonly clients = new Set<Socket>();

  private constructor(private readonly server: Server) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static listen(address: string): Promise<AirHub> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) => {
        // A socket file left by a crashed hub (not on Linux): nobody answered it, so remove it once.
        if (error.code === 'EADDRINUSE' && !address.startsWith('\0')) rmSync(address, { force: true });
        reject(error);
      });
      server.listen(address, () => resolve(new AirHub(server)));
    });
  }

  close(): Promise<void> {
    for (const c of this.clients) c.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.clients.add(socket);
    for (const { line } of this.states.values()) socket.write(line);
    socket.on('data', lineReader((line) => this.relay(socket, line), () => socket.destroy()));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.clients.delete(socket);
      for (const [id, s] of this.states) {
        if (s.owner !== socket) continue;
        this.states.delete(id);
        this.broadcast(socket, `${JSON.stringify({ t: 'gone', id })}\n`);
      }
    });
  }

  private relay(from: Socket, line: string): void {
    const message = parseAirMessage(line);
    if (message === undefined) return;
    const text = `${JSON.stringify(message)}\n`;
    if (message.t === 'state') this.states.set(message.id, { owner: from, line: text });
    else this.states.delete(message.id);
    this.broadcast(from, text);
  }

  private broadcast(from: Socket, text: string): void {
    for (const c of this.clients) if (c !== from && c.writable) c.write(text);
  }
}

function connect(address: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(address);
    socket.once('connect', () => {
      socket.removeListener('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

function printable(address: string): string {
  return address.replace('\0', '@');
}
