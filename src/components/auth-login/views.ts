import { css, html, nothing } from 'lit';
import type { PendingStep } from '../../contract/index.js';
import { warmUpWebAuthn, webAuthnSupported } from '../../core/passkeys.js';
import type { MessageKey } from '../../i18n/index.js';
import type { CountdownController } from '../base/countdown-controller.js';
import { formBase } from '../base/document-styles.js';
import { askedMethods, type Method } from './methods.js';
import type { PasskeyHost } from '../base/passkey-controller.js';
import { offerPasskeys, passkeySignIn } from '../base/passkey-lazy.js';
import { formMessages } from '../base/templates.js';
import type { IdentifierInput } from '../views/identifier.js';
import { otpChannel } from '../views/otp-channel.js';
import { otpPart, prefetchOtp, type OtpPartHost } from '../views/otp-part.js';
import { signInView, type PasswordHost } from '../views/sign-in.js';
import { prefetchSignedIn, signedInPart } from '../views/signed-in-part.js';
import { offeredSources, socialButtons } from '../views/social.js';
import { busyBox } from '../views/later.js';
import { formPart, prefetchParts, stepPart } from '../views/parts.js';

// What <auth-login> renders, loaded when the first one connects (AuthFormElement.views).
export { IdentifierInput } from '../views/identifier.js';
export { offerPasskeys } from '../base/passkey-lazy.js';


/** What the card needs of `<auth-login>`. */
export interface LoginHost extends PasswordHost, OtpPartHost, PasskeyHost {
  methods?: string;
  sources?: string;
  popup: boolean;
  tab: 'password' | 'otp';
  current: 'sign-in' | 'sign-up' | 'forgot' | 'change-password';
  readonly who: IdentifierInput;
  readonly countdown: CountdownController;
}

const STEP_HEADINGS: Record<PendingStep['kind'], MessageKey> = {
  password_change: 'headingPasswordChange',
  second_factor: 'headingSecondFactor',
  captcha: 'headingCaptcha',
  consent: 'headingConsent',
  verify_sign_up: 'headingVerify',
  recovery: 'headingForgot',
  verify_contact: 'headingVerifyContact',
  verify_email: 'verifyEmail',
};

export const styles = [
  formBase,
  css`
  :where(auth-login) {
    display: block;
  }
  :where(auth-login [part~='tabs']) {
    display: flex;
    gap: 0.25rem;
    border-block-end: 1px solid color-mix(in srgb, CanvasText 14%, Canvas);
  }
  :where(auth-login [part~='tab']) {
    flex: 1;
    font: inherit;
    font-weight: 600;
    padding: 0.625rem 0.5rem;
    border: 0;
    border-block-end: 2px solid transparent;
    margin-block-end: -1px;
    background: none;
    color: color-mix(in srgb, CanvasText 70%, Canvas);
    cursor: pointer;
  }
  :where(auth-login [part~='tab'][aria-selected='true']) {
    color: var(--auth-color, CanvasText);
    border-block-end-color: var(--auth-primary, #2457d6);
  }
  :where(auth-login [part~='tab']:focus-visible) {
    outline: var(--auth-focus-ring, 2px solid color-mix(in srgb, var(--auth-primary, #2457d6) 78%, CanvasText));
    outline-offset: -2px;
  }
  :where(auth-login [part~='divider']) {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    margin: 0;
    color: color-mix(in srgb, CanvasText 60%, Canvas);
    font-size: 0.875rem;
  }
  :where(auth-login [part~='divider'])::before,
  :where(auth-login [part~='divider'])::after {
    content: '';
    flex: 1;
    border-block-start: 1px solid color-mix(in srgb, CanvasText 14%, Canvas);
  }
  :where(auth-login [part~='others']) {
    display: grid;
    gap: 0.625rem;
  }
`,
];

/** The card: its heading and the view of the moment (a step, the account, sign-up, recovery, or sign-in). */
export function loginView(host: LoginHost) {
  const { auth, i18n } = host;
  const { status, pending } = auth.state;
  let heading: MessageKey = 'headingSignIn';
  let body: unknown;
  // A request is on its way: a step it may answer with, or the signed-in view, gets its code meanwhile.
  if (host.form.busy) {
    prefetchParts();
    prefetchSignedIn();
  }
  if (pending && pending.origin !== 'oauth' && pending.origin !== 'profile') {
    heading = STEP_HEADINGS[pending.kind];
    body = stepPart(host, pending);
  } else if (status === 'signed-in' && host.current === 'change-password' && auth.capabilities.account?.password) {
    heading = 'changePassword';
    body = formPart(host, (views) => views.changePasswordView(host));
  } else if (status === 'signed-in') {
    heading = 'headingSignedIn';
    body = signedInPart(host);
  } else if (auth.client?.restoring) {
    // A stored session, most likely still good: not the sign-in form for a moment.
    heading = 'headingSignedIn';
    body = busyBox(host);
  } else if (host.current === 'sign-up' && auth.capabilities.signUp.length) {
    heading = 'headingSignUp';
    body = formPart(host, (views) => views.signUpView(host));
  } else if (host.current === 'forgot' && auth.capabilities.recovery.length) {
    heading = 'headingForgot';
    body = formPart(host, (views) => views.forgotView(host));
  } else {
    body = signIn(host);
  }
  return html`<div part="card" class="auth-card">
    <h2 part="heading" tabindex="-1" data-auth-status>${i18n.t(heading)}</h2>
    ${body}
  </div>`;
}

/** The methods to offer, in order: those asked for that the backend has. */
function methodsOf(host: LoginHost): Method[] {
  const caps = host.auth.capabilities;
  const has: Record<Method, boolean> = {
    password: caps.password.length > 0,
    otp: otpChannel(caps.otp, host.channel) !== null,
    social: offeredSources(host, host.sources).length > 0,
    passkey: offerPasskeys(host) && webAuthnSupported(),
  };
  return askedMethods(host.methods).filter((method) => has[method]);
}

function signIn(host: LoginHost) {
  const methods = methodsOf(host);
  const forms = methods.filter((m): m is 'password' | 'otp' => m === 'password' || m === 'otp');
  const others = methods.filter((m) => m === 'social' || m === 'passkey');
  const tab = forms.includes(host.tab) ? host.tab : forms[0];
  const panel = tab === 'password' ? signInView(host) : tab === 'otp' ? otpPart(host, otpChannel(host.auth.capabilities.otp, host.channel)!) : nothing;
  const tabList = forms.length > 1 ? tabs(host, forms, tab!) : nothing;
  return html`${tabList}
    ${forms.length > 1 ? html`<div part="tabpanel" role="tabpanel" id=${host.id_('panel')} aria-labelledby=${host.id_(`tab-${tab}`)}>${panel}</div>` : panel}
    ${forms.length && others.length ? html`<p part="divider">${host.i18n.t('or')}</p>` : nothing}
    ${others.length ? otherWays(host, others, !forms.length) : nothing}`;
}

/** A real tab list: arrow keys, Home and End move between the tabs (WAI-ARIA tabs pattern). */
function tabs(host: LoginHost, forms: Array<'password' | 'otp'>, selected: 'password' | 'otp') {
  const label = (m: 'password' | 'otp') => host.i18n.t(m === 'password' ? 'tabPassword' : 'tabCode');
  const keydown = (event: KeyboardEvent) => {
    const index = forms.indexOf(selected);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: forms.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const direction = getComputedStyle(host).direction === 'rtl' && event.key.startsWith('Arrow') ? -1 : 1;
    const target = direction === 1 ? next : index - (next - index);
    select(host, forms[(target + forms.length) % forms.length]!, true);
  };
  return html`<div part="tabs" role="tablist" aria-label=${host.i18n.t('methods')} @keydown=${keydown}>
    ${forms.map(
      (m) => html`<button part="tab" role="tab" type="button" id=${host.id_(`tab-${m}`)} aria-selected=${m === selected ? 'true' : 'false'} aria-controls=${host.id_('panel')} tabindex=${m === selected ? 0 : -1} @pointerenter=${m === 'otp' ? prefetchOtp : nothing} @focus=${m === 'otp' ? prefetchOtp : nothing} @click=${() => select(host, m, false)}>${label(m)}</button>`,
    )}
  </div>`;
}

function select(host: LoginHost, tab: 'password' | 'otp', keyboard: boolean) {
  if (tab === host.tab) return;
  host.tab = tab;
  host.form.clear();
  // Focus moves with the arrow at once: the tab is there already (the list shows every tab), even
  // while its panel's code is still on its way (views/otp-part.ts).
  if (keyboard) host.querySelector<HTMLElement>(`#${host.id_(`tab-${tab}`)}`)?.focus();
}

/** Social and passkey buttons; the main action when there is no form (OIDC's hosted page). */
function otherWays(host: LoginHost, others: Method[], main: boolean) {
  // Without a form, the first of these is the main action; one main button per view.
  const passkey = (first: boolean) => html`<button part=${first ? 'button passkey' : 'button secondary passkey'} type="button" @pointerenter=${warmUpWebAuthn} @focus=${warmUpWebAuthn} @click=${() => passkeySignIn(host)}>${host.i18n.t('passkey')}</button>`;
  return html`<form part="form others" class="auth-form" @submit=${(event: Event) => event.preventDefault()}>
    <fieldset>
      ${others.map((m, index) => (m === 'social' ? socialButtons(host, offeredSources(host, host.sources), main && index === 0, host.popup) : passkey(main && index === 0)))}
      ${main ? formMessages(host.form, host.i18n, host.id_('error')) : nothing}
    </fieldset>
  </form>`;
}
