import { describe, expect, it } from 'vitest';
import { loadProvisionConfig } from '../../../device-bridge/src/config/provision-config.js';
import { loadSignInConfig } from '../../../device-bridge/src/config/sign-in-config.js';

const dirs = ['--data-dir', '/tmp/proxitrace-sign-in-config/data', '--key-file', '/tmp/proxitrace-sign-in-config/store.key'];

describe('yes/no variables of the sign-in steps, in any case', () => {
  it.each([
    ['YES', true],
    ['No', false],
  ])('BRIDGE_SIGN_IN_RESEND=%s → resend %s', (value, resend) => {
    const loaded = loadSignInConfig(['--api', 'http://127.0.0.1:3000', '--phone', '+15550100001', ...dirs], { BRIDGE_SIGN_IN_RESEND: value });
    expect(loaded.ok && 'config' in loaded && loaded.config.resend).toBe(resend);
  });

  it('names the variable when the value is neither', () => {
    const loaded = loadSignInConfig(['--api', 'http://127.0.0.1:3000', '--phone', '+15550100001', ...dirs], { BRIDGE_SIGN_IN_RESEND: 'maybe' });
    expect(loaded.ok ? [] : loaded.problems).toEqual([expect.stringMatching(/^--resend \/ BRIDGE_SIGN_IN_RESEND: must be one of yes, no/)]);
  });

  it('PROVISION_RESEND=Yes sends the owner a new code, as --resend does', () => {
    const loaded = loadProvisionConfig(['--api', 'http://127.0.0.1:3000', '--owner-phone', '+15550100002', '--data-dir', '/tmp/proxitrace-sign-in-config/device', '--credentials-dir', '/tmp/proxitrace-sign-in-config/data', '--key-file', '/tmp/proxitrace-sign-in-config/store.key'], { PROVISION_RESEND: 'Yes' });
    expect(loaded.ok && 'config' in loaded ? loaded.config.resend : loaded).toBe(true);
  });
});
