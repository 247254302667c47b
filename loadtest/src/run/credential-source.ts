import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { CognitoUserPool, cognitoClientFor } from '../auth/cognito-pool.js';
import { readCredentialsFile, type CredentialsFile } from '../auth/credentials-file.js';
import type { CredentialSource } from '../auth/credentials.js';
import { LocalSignUp } from '../auth/local-signup.js';
import { OfficialSessionStore } from '../auth/official-session-store.js';
import type { LoadOptions } from '../config/load-options.js';
import type { HttpTarget } from '../http/http-target.js';
import { PreflightError } from './preflight.js';

export type CognitoClientFactory = (file: CredentialsFile) => CognitoIdentityProviderClient;

/**
 * --credentials FILE: its Cognito users; otherwise the SMS sign-up flow of a DEV_SMS_ECHO=1 server, whose
 * official resumes the session of an earlier run from --out.
 */
export function credentialSource(options: LoadOptions, target: HttpTarget, cognitoClient: CognitoClientFactory = cognitoClientFor): CredentialSource {
  if (options.credentials === undefined) {
    const official = options['official-phone'];
    const sessions = official === undefined ? undefined : new OfficialSessionStore(options.out, `${options.target.replace(/\/+$/, '')} ${official}`);
    return new LocalSignUp(target, official, options['official-totp-secret'], sessions);
  }
  let file: CredentialsFile;
  try {
    file = readCredentialsFile(options.credentials);
  } catch (error) {
    throw new PreflightError([(error as Error).message]);
  }
  return new CognitoUserPool(file, options.credentials, cognitoClient(file));
}
