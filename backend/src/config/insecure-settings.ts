import type { AwsConfig } from './aws-config.js';

/**
 * Settings that are fine on a laptop and dangerous in a deployment: each one leaks sign-in codes,
 * lets SMS be pumped to any country, or leaves the contact store open. BACKEND=aws refuses them
 * unless INSECURE_DEVELOPMENT=1.
 */
export function insecureAwsSettings(e: { DEV_SMS_ECHO: boolean; SMS_ALLOWED_CALLING_CODES: readonly string[] | 'any' | undefined }, aws: AwsConfig): string[] {
  const found: string[] = [];
  if (e.DEV_SMS_ECHO) found.push('DEV_SMS_ECHO=1 returns every sign-in code in the API response');
  if (aws.sms.sender === 'log') found.push('SMS_SENDER=log writes every sign-in code to the log');
  if (aws.sms.sender === 'sns' && e.SMS_ALLOWED_CALLING_CODES === undefined) {
    found.push('SMS_ALLOWED_CALLING_CODES is unset: SMS would go to any country (set the calling codes you serve, e.g. 44)');
  }
  if (aws.search.auth.kind === 'none' && !isLoopback(aws.search.node)) {
    found.push(`SEARCH_AUTH=none for the non-loopback search node ${new URL(aws.search.node).host}`);
  }
  return found;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
