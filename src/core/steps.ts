import type { TokenSet } from './session.js';

/** A backend's rules for a new password, checked before anything is sent. */
export interface PasswordPolicy {
  minLength?: number;
  maxLength?: number;
  /** A regular expression source the whole password must match. */
  pattern?: string;
  /** The backend's own description of the rule, shown as text. */
  tip?: string;
}

/**
 * A sign-in that needs one more step before the backend issues tokens. `context` is the
 * backend's own handle for the step (a state token, a flow id): opaque to everyone but the
 * provider that made it, and kept only in memory.
 */
export type PendingStep =
  | {
      step: 'password_change';
      /** True when the password has expired; false when it is about to (the person may skip). */
      required: boolean;
      policy?: PasswordPolicy;
      /** Days until expiry, when the backend says. */
      daysLeft?: number;
      context: unknown;
    }
  | {
      step: 'second_factor';
      /** `password`: the backend asks for the password again as the second factor. */
      methods: Array<'sms' | 'email' | 'totp' | 'password'>;
      /** Where a code would go, masked by the backend (`138****0000`). */
      target?: string;
      context: unknown;
    };

/** What a sign-in call of a provider produces: tokens, or the next step. */
export type SignInOutcome = TokenSet | PendingStep;

export function isPendingStep(outcome: SignInOutcome): outcome is PendingStep {
  return typeof (outcome as PendingStep).step === 'string';
}

/** A one-time code on its way: what to show (countdowns) and what to send back. */
export interface OtpChallenge {
  channel: 'sms' | 'email';
  /** Seconds the code stays valid, when the backend says. */
  expiresIn?: number;
  /** Seconds before another code may be requested. */
  resendAfter?: number;
  context: unknown;
}

/** Checks a new password against a policy; returns the broken rule, or null. */
export function checkPassword(password: string, policy: PasswordPolicy | undefined): 'too_short' | 'too_long' | 'pattern' | null {
  if (!policy) return null;
  if (policy.minLength !== undefined && password.length < policy.minLength) return 'too_short';
  if (policy.maxLength !== undefined && password.length > policy.maxLength) return 'too_long';
  if (policy.pattern) {
    try {
      if (!new RegExp(`^(?:${policy.pattern})$`, 'u').test(password)) return 'pattern';
    } catch {
      // A pattern this browser cannot compile is left to the backend to enforce.
    }
  }
  return null;
}
