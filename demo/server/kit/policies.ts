// The numbers every emulation's policies start from (the server and the tests override them).

/** Knobs that let a person (and a test) reach every state of the widget quickly. */
export interface Policies {
  /** Failed password attempts before a lock-out. */
  maxPasswordFailures: number;
  lockoutSeconds: number;
  otpTtlSeconds: number;
  /** Wrong codes before a code is burnt. */
  otpMaxAttempts: number;
  /** Minimum seconds between two sends to one recipient (429 + Retry-After inside it). */
  sendIntervalSeconds: number;
  /** Short enough to watch a refresh in the demo. */
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

export const defaultPolicies: Policies = {
  maxPasswordFailures: 5,
  lockoutSeconds: 300,
  otpTtlSeconds: 300,
  otpMaxAttempts: 5,
  sendIntervalSeconds: 60,
  accessTokenTtlSeconds: 120,
  refreshTokenTtlSeconds: 14 * 24 * 3600,
};
