/** The bridge CLIs' exit codes (README, --help). */
export const EXIT = {
  ok: 0,
  failed: 1,
  badConfiguration: 2,
  /** The bridge cannot go on without an operator: an SMS code is pending or a sign-in is needed. */
  waitingForOperator: 3,
} as const;
