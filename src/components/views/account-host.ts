import type { ViewHost } from './host.js';
import type { IdentifierInput } from './identifier.js';

// What the password and account views need of their element, apart from the views themselves,
// so that the forms loaded on first use (forms.ts) and the first view share them without a cycle.

/** What the account views need: the way back to the signed-in view. */
export interface AccountHost extends ViewHost {
  /** Who is signing in, as typed: for the password manager beside a new password. */
  account: string;
  go(view: 'sign-in' | 'change-password'): void;
}

/** What the password views share: who is signing in, the password typed, and the way between views. */
export interface PasswordHost extends ViewHost {
  readonly who: IdentifierInput;
  /** The password just typed, kept in memory only until a password change completes. */
  typed: string;
  /** Who is signing in, as typed. */
  account: string;
  go(view: 'sign-in' | 'sign-up' | 'forgot' | 'change-password'): void;
}
