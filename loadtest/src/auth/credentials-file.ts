import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The credentials file for a deployed API: pre-created Cognito test users, one per simulated device,
 * each a username and password or an already-issued access token (with its refresh token, to outlive
 * it). See loadtest/README.md for an example.
 */
const PasswordUser = z
  .object({
    username: z.string().min(1),
    password: z.string().min(1),
    /** The base32 secret of the user's authenticator, for Cognito's software-token MFA (officials). */
    totpSecret: z.string().regex(/^[A-Z2-7]+=*$/, 'expected the base32 authenticator secret').optional(),
  })
  .strict();
const IssuedUser = z.object({ accessToken: z.string().min(1), refreshToken: z.string().min(1).optional(), deviceId: z.string().optional() }).strict();
const UserSchema = z.union([PasswordUser, IssuedUser], { error: 'expected { username, password, totpSecret? } or { accessToken, refreshToken? }' });

export const AUTH_FLOWS = ['ADMIN_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'] as const;

export const CredentialsFileSchema = z
  .object({
    region: z.string().min(1),
    /** The app client the API's authorizer accepts (its `client_id` claim is checked). */
    clientId: z.string().min(1),
    /** Needed by ADMIN_USER_PASSWORD_AUTH only. */
    userPoolId: z.string().min(1).optional(),
    authFlow: z.enum(AUTH_FLOWS).optional(),
    /** The API refuses ID tokens; the field is kept only to say so to files written for older versions. */
    tokenUse: z.literal('access', { error: 'the API accepts only Cognito access tokens: remove "tokenUse"' }).optional(),
    /** Overrides https://cognito-idp.<region>.amazonaws.com/, e.g. for a local Cognito emulator. */
    endpoint: z.url().optional(),
    users: z.array(UserSchema).min(1),
    official: UserSchema.optional(),
  })
  .strict()
  .superRefine((file, ctx) => {
    if (authFlowOf(file) === 'ADMIN_USER_PASSWORD_AUTH' && file.userPoolId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['userPoolId'], message: 'ADMIN_USER_PASSWORD_AUTH needs the user pool id' });
    }
  });

export type CredentialsFile = z.infer<typeof CredentialsFileSchema>;
export type PoolUser = z.infer<typeof UserSchema>;
export type AuthFlow = (typeof AUTH_FLOWS)[number];

/**
 * The flow named in the file, else USER_PASSWORD_AUTH: the backend's app client allows it (its officials
 * sign in with it too), and it needs no AWS credentials. ADMIN_USER_PASSWORD_AUTH needs the pool's id and
 * AWS credentials allowed cognito-idp:AdminInitiateAuth.
 */
export function authFlowOf(file: Pick<CredentialsFile, 'authFlow'>): AuthFlow {
  return file.authFlow ?? 'USER_PASSWORD_AUTH';
}

/** Reads and checks the file; every problem in one line that names the file and the field. */
export function readCredentialsFile(path: string): CredentialsFile {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new Error(`--credentials ${path}: ${reason}`);
  }
  const parsed = CredentialsFileSchema.safeParse(content);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`--credentials ${path}: ${problems}`);
  }
  return parsed.data;
}
