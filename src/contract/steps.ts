import type { AuthError } from './errors.js';
import type { PasswordPolicy } from './policy.js';
import type { TokenSet } from './session.js';



export type Channel = 'sms' | 'email';

/**
 * What a backend asks for before it can finish an action, as an adapter reports it. `context`
 * is the adapter's own handle for the step (a state token, a flow id): opaque to everyone else
 * and kept only in memory.
 */
export type StepRequest =
  /** A new password: expired (`required`), or expiring and skippable. */
  | { kind: 'password_change'; required: boolean; policy?: PasswordPolicy; daysLeft?: number; context: unknown }
  /**
   * A second factor; `password`: the backend asks for the password again. `ask: 'phone'`: the
   * backend cannot say where to send the code, so the person types the account's phone number
   * (CloudBase `mfa_phone_required` after a sign-in by username or email).
   */
  | { kind: 'second_factor'; methods: Array<'sms' | 'email' | 'totp' | 'password'>; target?: string; ask?: 'phone'; context: unknown }
  /** A human check: type what the image shows; the interrupted call is then sent again. */
  | { kind: 'captcha'; image?: string; context: unknown }
  /** Terms the person must agree to; the interrupted call is then sent again with the agreement. */
  | { kind: 'consent'; context: unknown }
  /** A new account waits for the code sent to its email or phone. */
  | { kind: 'verify_sign_up'; channel: Channel; target?: string; expiresIn?: number; resendAfter?: number; context: unknown }
  /**
   * Password recovery after the send: `verify` waits for the code (or for the person to follow a
   * link, `delivery: 'link'`), `new_password` for the new password.
   */
  | { kind: 'recovery'; stage: 'verify' | 'new_password'; delivery: 'code' | 'link'; channel?: Channel; target?: string; expiresIn?: number; policy?: PasswordPolicy; context: unknown }
  /** A new email or phone of the signed-in person waits for its code. */
  | { kind: 'verify_contact'; channel: Channel; target: string; expiresIn?: number; context: unknown }
  /** The person followed an emailed link that confirms their address; confirming is one click. */
  | { kind: 'verify_email'; context: unknown };

export type StepKind = StepRequest['kind'];

/**
 * The action a pending step belongs to, so that each element renders only its own steps.
 * `profile`: a change the signed-in person makes in `<auth-profile>` (a new email's code, a check on the way). */
export type StepOrigin = 'sign_in' | 'otp' | 'sign_up' | 'recovery' | 'account' | 'profile' | 'oauth';

/** A step the client is waiting on (`state.pending`), held in memory only. */
export type PendingStep = StepRequest & { origin: StepOrigin };

/** What a sign-in call of an adapter produces: tokens, or the next step. */
export type SignInOutcome = TokenSet | StepRequest;

export function isStep(outcome: SignInOutcome): outcome is StepRequest {
  return typeof (outcome as { kind?: unknown }).kind === 'string';
}

/**
 * Thrown by an adapter when the backend interrupts any call (a send included) for a step; the
 * client makes it the pending step and sends the same call again once it is answered.
 */
export class StepRequired extends Error {
  readonly step: StepRequest;
  /** What went wrong with the previous answer (a mistyped security check), to show with the new step. */
  readonly error?: AuthError;

  constructor(step: StepRequest, error?: AuthError) {
    super(`the backend asks for a ${step.kind} step`);
    this.name = 'StepRequired';
    this.step = step;
    if (error) this.error = error;
  }
}

export function isStepRequired(value: unknown): value is StepRequired {
  return value instanceof StepRequired || ((value as Error | null)?.name === 'StepRequired' && typeof (value as StepRequired).step?.kind === 'string');
}

/** A one-time code on its way: what to show (countdowns) and what to send back. */
export interface OtpChallenge {
  channel: Channel;
  /** Seconds the code stays valid, when the backend says. */
  expiresIn?: number;
  /** Seconds before another code may be requested. */
  resendAfter?: number;
  context: unknown;
}
