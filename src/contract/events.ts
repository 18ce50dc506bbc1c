import type { AuthError } from './errors.js';
import type { Session } from './session.js';

/** The CloudBase `onAuthStateChange` event set. */
export const AuthChangeEvent = {
  INITIAL_SESSION: 'INITIAL_SESSION',
  SIGNED_IN: 'SIGNED_IN',
  SIGNED_OUT: 'SIGNED_OUT',
  TOKEN_REFRESHED: 'TOKEN_REFRESHED',
  USER_UPDATED: 'USER_UPDATED',
  PASSWORD_RECOVERY: 'PASSWORD_RECOVERY',
  BIND_IDENTITY: 'BIND_IDENTITY',
} as const;
export type AuthChangeEvent = (typeof AuthChangeEvent)[keyof typeof AuthChangeEvent];

export type AuthStateChangeCallback = (event: AuthChangeEvent, session: Session | null) => void | Promise<void>;

export interface Subscription {
  id: string;
  callback: AuthStateChangeCallback;
  unsubscribe(): void;
}

/** Detail of the `auth-state-change` DOM event. Never carries a password or a code. */
export interface AuthStateChangeDetail {
  event: AuthChangeEvent;
  session: Session | null;
}

/** Detail of the `auth-error` DOM event: `error.message` is the text the element shows. */
export interface AuthErrorDetail {
  error: AuthError;
}

/**
 * What the client tells the elements. `source` is whatever the caller passed as
 * `options.source` (an element), so the element that caused a change can announce it itself.
 */
export type ClientNotice =
  | { type: 'change'; id: number; event: AuthChangeEvent; session: Session | null; source?: unknown }
  | { type: 'error'; id: number; error: AuthError; source?: unknown }
  | { type: 'state'; id: number };
