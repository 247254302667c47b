import { Bridge } from '../../../device-bridge/src/core/bridge.js';
import { MemoryOutbox } from '../../../device-bridge/src/outbox/memory-outbox.js';
import type { SimRadio } from '../../../device-bridge/src/radio/sim/sim-radio.js';
import { RelayCoordinator } from '../../../device-bridge/src/relay/relay-coordinator.js';
import { BridgeApiClient } from '../../../device-bridge/src/upload/api-client.js';
import { AuthSession, MemoryCredentialStore } from '../../../device-bridge/src/upload/auth-session.js';
import { JsonHttp } from '../../../device-bridge/src/upload/http.js';
import { SignInFlow, type PendingChallenge, type PendingStore } from '../../../device-bridge/src/upload/sign-in-flow.js';
import { JsonApi } from '../api/json-api.js';
import type { Person } from '../town/town-model.js';
import { stepBridge, TOWN_BRIDGE_OPTIONS } from './device-driver.js';
import type { InFlight } from './in-flight.js';
import { noTraffic, trackedApi, trackedCentral, type DeviceTraffic } from './tracked-ports.js';

export interface PhoneNotification {
  id: string;
  degree: number;
  probability: number;
  exposedAt: string;
  issuedAt: string;
  updatedAt?: string;
}

export interface PhoneDeps {
  person: Person;
  radio: SimRadio;
  baseUrl: string;
  /** The town's clock (the core's times). */
  now: () => number;
  /** The identity provider's clock (when the access token expires). */
  identityNow: () => number;
  random: () => number;
  inFlight: InFlight;
  /** Where relay sessions (GATT exchange and upload) are tracked. */
  relaying: InFlight;
}

/**
 * A person's phone: the bridge core (scan, cache, de-duplicate, batch by 50, rotate tokens, relay
 * dedicated devices' batches) on the simulated air, talking to the real API over HTTP, plus what
 * the app does besides: sign in by SMS, ask for its warnings, report a positive test.
 */
export class Phone {
  readonly bridge: Bridge;
  readonly relay: RelayCoordinator;
  readonly auth: AuthSession;
  readonly traffic: DeviceTraffic = noTraffic();
  private readonly api: JsonApi;
  private readonly signIn: SignInFlow;

  constructor(private readonly deps: PhoneDeps) {
    const http = new JsonHttp({ baseUrl: deps.baseUrl, timeoutMs: 120_000 });
    this.auth = new AuthSession(http, { store: new MemoryCredentialStore(), now: deps.identityNow });
    this.signIn = new SignInFlow(http, deps.baseUrl, { pending: new MemoryPendingStore(), session: this.auth }, deps.identityNow);
    this.api = new JsonApi(deps.baseUrl);
    const client = new BridgeApiClient(http, this.auth);
    const api = trackedApi(client, deps.inFlight, this.traffic);
    const clock = { now: deps.now };
    this.relay = new RelayCoordinator(trackedCentral(deps.radio.gattCentral(), deps.relaying), trackedApi(client, deps.relaying, this.traffic), {}, { clock });
    this.bridge = new Bridge(
      { radio: deps.radio, outbox: new MemoryOutbox(), tokenApi: api, contactsApi: api, clock, random: deps.random, onRelayAdvert: this.relay.noticed },
      TOWN_BRIDGE_OPTIONS,
    );
  }

  get person(): Person {
    return this.deps.person;
  }

  /** Signs in (the SMS code, echoed by the demo's backend), fetches tokens, starts advertising and scanning. */
  async start(): Promise<void> {
    const { devCode } = await this.signIn.requestCode(this.deps.person.phoneNumber);
    if (!devCode) throw new Error('the demo backend must echo SMS codes (DEV_SMS_ECHO=1)');
    const outcome = await this.signIn.enterCode(devCode);
    if (outcome.kind !== 'signed_in') throw new Error(`${this.deps.person.name}'s phone could not sign in: ${outcome.kind}`);
    await this.bridge.start();
  }

  step(now: number): Promise<void> {
    return stepBridge(this.bridge, now);
  }

  async bearer(): Promise<string> {
    return this.auth.accessToken();
  }

  /** GET /v1/notifications, as the app polls it. */
  async notifications(): Promise<PhoneNotification[]> {
    return (await this.deps.inFlight.track(this.api.get<{ notifications: PhoneNotification[] }>('/v1/notifications', await this.bearer()))).notifications;
  }

  /** POST /v1/infections with the official's code and the day symptoms began. */
  async reportInfection(verificationCode: string, symptomOnset: Date): Promise<string> {
    const body = { verificationCode, symptomOnset: symptomOnset.toISOString() };
    return (await this.deps.inFlight.track(this.api.post<{ caseId: string }>('/v1/infections', body, await this.bearer()))).caseId;
  }

  /** POSTs on behalf of a dedicated device being provisioned through this phone. */
  async post<T>(path: string, body: unknown): Promise<T> {
    return this.deps.inFlight.track(this.api.post<T>(path, body, await this.bearer()));
  }

  stop(): Promise<void> {
    return this.bridge.stop();
  }
}

/** The app keeps its one pending challenge in memory: it enters the code at once. */
class MemoryPendingStore implements PendingStore {
  private value: PendingChallenge | undefined;
  load(): PendingChallenge | undefined {
    return this.value;
  }
  save(pending: PendingChallenge): void {
    this.value = pending;
  }
  clear(): void {
    this.value = undefined;
  }
}
