/** How long an SMS sign-in code lives and how many wrong answers lock it, for every identity provider. */
export const SIGN_IN_CHALLENGE_POLICY = { challengeTtlSeconds: 300, maxFailedAttempts: 5 } as const;
