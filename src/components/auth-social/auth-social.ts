import { AuthFormElement } from '../base/auth-form-element.js';
import type * as SocialViews from './views.js';

/**
 * One button per third-party source the configured backend offers. A click starts the redirect
 * flow (authorization code with PKCE, `state` and `nonce`); the client completes it when the
 * page loads again, whether or not this element is on that page. With `popup`, the flow runs in
 * a popup where the backend allows it, and this page stays.
 *
 * @summary "Continue with …" buttons for social and hosted sign-in.
 *
 * @fires auth-state-change - `{ event, session }` when a popup sign-in signed the person in.
 * @fires auth-error - `{ error }` when a sign-in could not start; `error.message` is the text shown.
 *
 * @csspart form - The `<form>` holding the buttons.
 * @csspart button - A source's button.
 * @csspart error - The error, announced by screen readers.
 *
 * @cssproperty --auth-primary - Colour of the buttons.
 * @cssproperty --auth-radius - Corner radius of the buttons.
 *
 * @example
 * <auth-social sources="github wx_open"></auth-social>
 * <auth-social popup></auth-social>
 */
export class AuthSocial extends AuthFormElement<typeof SocialViews> {
  static override properties = {
    sources: {},
    popup: { type: Boolean },
  };

  /** @internal */
  static override views = () => import('./views.js');

  /** Space-separated source ids to show, in order; default: every source the backend offers. */
  declare sources?: string;
  /**
   * Sign in in a popup where the backend can (`capabilities.popup`: OIDC, Tencent CIAM's portal);
   * the page stays. A popup the browser blocks falls back to the redirect.
   */
  declare popup: boolean;

  constructor() {
    super();
    this.popup = false;
  }

  /** @internal */
  protected override renderViews(views: typeof SocialViews): unknown {
    return views.socialView(this);
  }

  // A view host needs these; this element has no phone field.
  /** @internal */
  defaultRegion = '86';
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-social': AuthSocial;
  }
}
