import { AuthFormElement } from '../base/auth-form-element.js';
import type * as UserViews from './views.js';

/**
 * The signed-in person and a way out: the name (else the email, else the phone number masked,
 * else a neutral "Signed in"), an initial as avatar, a **Sign out** button that works on every
 * backend (with `sign-out-redirect`, OIDC's end-session page too), and a "Manage account" link
 * when `profile-url` is set. Renders nothing while signed out.
 *
 * @summary Who is signed in, and Sign out.
 *
 * @fires auth-state-change - `{ event, session }` (`SIGNED_OUT`) when this element signed the person out.
 * @fires auth-error - `{ error }` when signing out failed; `error.message` is the text shown.
 *
 * @csspart form - The `<form>` holding everything.
 * @csspart avatar - The initial in a circle.
 * @csspart name - The person's name (or email, or masked phone).
 * @csspart detail - A second line: the email or phone when the name is shown above it.
 * @csspart link - The "Manage account" link.
 * @csspart button - The Sign out button (`secondary`).
 * @csspart error - An error, announced by screen readers.
 *
 * @cssproperty --auth-primary - Colour of the avatar.
 * @cssproperty --auth-avatar-size - Size of the avatar (default `2.5rem`).
 *
 * @example
 * <auth-user profile-url="/account" sign-out-redirect="/"></auth-user>
 */
export class AuthUser extends AuthFormElement<typeof UserViews> {
  static override properties = {
    profileUrl: { attribute: 'profile-url' },
    signOutRedirect: { attribute: 'sign-out-redirect' },
  };

  /** @internal */
  static override views = () => import('./views.js');

  /** Where "Manage account" leads (your page with `<auth-profile>`); no link without it. */
  declare profileUrl?: string;
  /** After signing out, visit the backend's sign-out page (OIDC end-session) and come back here. */
  declare signOutRedirect?: string;
  /** @internal */
  defaultRegion = '86';

  /** @internal */
  protected override renderViews(views: typeof UserViews): unknown {
    return views.userView(this);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-user': AuthUser;
  }
}
