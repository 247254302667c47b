import { createInterface } from 'node:readline/promises';
import type { BridgeSecrets } from '../store/bridge-secrets.js';
import type { CodeOutcome, PendingChallenge, SignInFlow } from '../upload/sign-in-flow.js';
import { CHALLENGE_LIFETIME_MS } from '../upload/sign-in-flow.js';

/** Where the sign-in talks to its operator. */
export interface OperatorIo {
  /** A terminal on stdin: the code can be asked for. */
  interactive: boolean;
  ask(question: string): Promise<string>;
  say(line: string): void;
}

export function terminalIo(): OperatorIo {
  return {
    interactive: process.stdin.isTTY === true,
    ask: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return (await rl.question(question)).trim();
      } finally {
        rl.close();
      }
    },
    say: (line) => process.stderr.write(`${line}\n`),
  };
}

export type SignInState = 'signed_in' | 'code_pending' | 'failed';

/** How to finish a pending sign-in without a terminal. */
export function nextStep(dataDir: string): string {
  return `npm run bridge -- provision --data-dir ${dataDir} --code CODE`;
}

export function describePending(p: PendingChallenge, now = Date.now()): string {
  const ageMin = Math.floor((now - p.requestedAt) / 60_000);
  const age = ageMin < 1 ? 'less than a minute ago' : `${ageMin} min ago`;
  const stale = now - p.requestedAt > CHALLENGE_LIFETIME_MS ? ' (codes last 5 minutes: it has probably expired; ask for a new one with --phone … --resend)' : '';
  return `an SMS code was sent to ${p.phoneNumber} ${age}${stale}`;
}

/**
 * Sends one code to `phoneNumber` and completes the sign-in when it can: with a development
 * server's echo, or by asking on a terminal. Otherwise the challenge stays pending on disk.
 */
export async function requestCode(flow: SignInFlow, phoneNumber: string, io: OperatorIo, dataDir: string): Promise<SignInState> {
  const { devCode } = await flow.requestCode(phoneNumber);
  if (devCode !== undefined) {
    io.say(`warning: using the SMS code echoed by a development server (DEV_SMS_ECHO): never in production`);
    return enterCode(flow, devCode, io);
  }
  io.say(`an SMS code was sent to ${phoneNumber}`);
  if (io.interactive) return promptForCode(flow, io, dataDir);
  io.say(`enter it with: ${nextStep(dataDir)}`);
  return 'code_pending';
}

/** Asks on the terminal until the code is right, the challenge is over, or the operator gives up (empty line). */
export async function promptForCode(flow: SignInFlow, io: OperatorIo, dataDir: string): Promise<SignInState> {
  const pending = flow.pending;
  for (;;) {
    const code = await io.ask(`SMS code sent to ${pending?.phoneNumber ?? 'your phone'} (empty line: later): `);
    if (code === '') {
      io.say(`the code stays pending; enter it later with: ${nextStep(dataDir)}`);
      return 'code_pending';
    }
    if (!/^\d{6}$/.test(code)) {
      io.say('the code has 6 digits');
      continue;
    }
    const state = await enterCode(flow, code, io);
    if (state !== 'code_pending') return state;
  }
}

/** One answer to the pending challenge; `code_pending` when the code was wrong and may be tried again. */
export async function enterCode(flow: SignInFlow, code: string, io: OperatorIo): Promise<SignInState> {
  const phoneNumber = flow.pending?.phoneNumber ?? '';
  const outcome = await flow.enterCode(code);
  io.say(outcomeMessage(outcome, phoneNumber));
  return outcome.kind === 'signed_in' ? 'signed_in' : outcome.kind === 'wrong_code' ? 'code_pending' : 'failed';
}

function outcomeMessage(outcome: CodeOutcome, phoneNumber: string): string {
  switch (outcome.kind) {
    case 'signed_in':
      return `signed in as device ${outcome.deviceId}`;
    case 'wrong_code':
      return `sign-in failed: that is not the code sent to ${phoneNumber}; the same code can be entered again (no new SMS)`;
    case 'challenge_over':
      return `sign-in failed: the code sent to ${phoneNumber} ${outcome.reason === 'challenge_exhausted' ? 'was entered wrongly too often' : 'has expired'} (${outcome.reason}); ask for a new one: npm run bridge -- provision --phone ${phoneNumber}`;
    case 'wait':
      return `sign-in failed: too many wrong codes for ${phoneNumber} lately (${outcome.reason}); try again${outcome.retryAfterSeconds === undefined ? ' later' : ` in ${outcome.retryAfterSeconds} s`}, with the same code`;
  }
}

/**
 * A stored session, or the sign-in an operator started: a pending code is asked for on a
 * terminal, never sent again; a first sign-in with --phone sends one code. Without a terminal the
 * bridge then stops with exit code 3 and says how to enter the code.
 */
export async function signInBeforeRunning(secrets: BridgeSecrets, flow: SignInFlow, config: { phoneNumber?: string | undefined; dataDir: string; api: string }, io: OperatorIo): Promise<SignInState> {
  if (secrets.session.load() !== undefined) return 'signed_in';
  const pending = secrets.pending.load();
  try {
    if (pending !== undefined) {
      if (io.interactive) return await promptForCode(flow, io, config.dataDir);
      io.say(`not signed in: ${describePending(pending)}; enter it with: ${nextStep(config.dataDir)}`);
      return 'code_pending';
    }
    if (config.phoneNumber === undefined) {
      io.say(`not signed in: sign this bridge in first: npm run bridge -- provision --api ${config.api} --phone +E164 --data-dir ${config.dataDir}`);
      return 'code_pending';
    }
    return await requestCode(flow, config.phoneNumber, io, config.dataDir);
  } catch (error) {
    io.say(`sign-in failed: ${error instanceof Error ? error.message : String(error)}`);
    return 'failed';
  }
}
