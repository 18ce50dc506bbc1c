import { css, nothing } from 'lit';
import { formBase } from '../base/document-styles.js';
import { accountView } from '../views/account.js';
import { signInView, type PasswordHost } from '../views/sign-in.js';
import { signedInView } from '../views/signed-in.js';
import { userStyles } from '../views/user.js';
import { busyBox, type LaterHost } from '../views/later.js';
import { formPart, prefetchParts, stepPart } from '../views/parts.js';
import type { StepHost } from '../views/steps.js';

// What <auth-password> renders, loaded when the first one connects (AuthFormElement.views).
export { IdentifierInput } from '../views/identifier.js';

export const styles = [
  formBase,
  userStyles,
  css`
    :where(auth-password) {
      display: block;
    }
  `,
];

/** What the views need of `<auth-password>`. */
export type PasswordElement = PasswordHost &
  StepHost &
  LaterHost & {
    view: 'sign-in' | 'sign-up' | 'forgot' | 'change-password';
    accountOnly: boolean;
  };

/** The view of the moment: a step, the account, sign-up, recovery, or sign-in. */
export function passwordView(host: PasswordElement) {
  const { status, pending } = host.auth.state;
  const caps = host.auth.capabilities;
  // A backend without password sign-in (or no client yet): this element shows nothing.
  if (!caps.password.length) return nothing;
  if (host.accountOnly && status !== 'signed-in') return nothing;
  if (pending && pending.origin !== 'otp' && pending.origin !== 'oauth' && pending.origin !== 'profile') return stepPart(host, pending);
  if (host.form.busy) prefetchParts();
  if (status === 'signed-in' && host.view === 'change-password' && caps.account?.password) return formPart(host, (views) => views.changePasswordView(host));
  if (status === 'signed-in' && host.accountOnly) return accountView(host);
  if (status === 'signed-in' && host.view !== 'sign-up') return signedInView(host);
  // A stored session being restored, most likely still good: not the sign-in form for a moment.
  if (host.auth.client?.restoring && host.view !== 'sign-up') return busyBox(host);
  if (host.view === 'forgot' && caps.recovery.length) return formPart(host, (views) => views.forgotView(host));
  if (host.view === 'sign-up' && caps.signUp.length) return formPart(host, (views) => views.signUpView(host));
  return signInView(host);
}
