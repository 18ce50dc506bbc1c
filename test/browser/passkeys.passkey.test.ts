// <auth-webauthn-register> and <auth-passkey> against the reference server's passkey service,
// with Chromium's virtual authenticator (passkeys group only). The signed-in session comes from
// the Zhuyun IDaaS emulation (mobile + password), whose session_token the passkey service
// accepts as a bearer; a passkey sign-in then gets its session from /passkeys/authentication/verify.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { AuthClient } from '../../src/core/client.js';
import type { AuthError } from '../../src/contract/index.js';
import type { Session } from '../../src/contract/index.js';
import '../../src/components/auth-config/define.js';
import '../../src/components/auth-webauthn-register/define.js';
import '../../src/components/auth-passkey/define.js';
import type { AuthConfig } from '../../src/components/auth-config/auth-config.js';
import type { AuthPasskey } from '../../src/components/auth-passkey/auth-passkey.js';
import type { AuthWebauthnRegister } from '../../src/components/auth-webauthn-register/auth-webauthn-register.js';
import { referencePasskeyRig } from '../support/commands.js';
import { until } from '../support/environment.js';

const DEMO_USER = { mobile: '13800000010', id: '20240101000000010-ZY10-DEMO00010' };
const CALM = 'No passkey was used: the request was dismissed or timed out. You can try again.';

const rig = referencePasskeyRig();

before(() => {
  expect(location.hostname, 'rp id localhost needs a localhost page').to.equal('localhost');
});

interface Mounted {
  config: AuthConfig;
  client: AuthClient;
  register: AuthWebauthnRegister;
  passkey: AuthPasskey;
}

async function mount(extra = html``): Promise<Mounted> {
  const passkeys = {
    optionsUrl: `${rig.server.url}/passkeys/registration/options`,
    verifyUrl: `${rig.server.url}/passkeys/registration/verify`,
    authenticationOptionsUrl: `${rig.server.url}/passkeys/authentication/options`,
    authenticationVerifyUrl: `${rig.server.url}/passkeys/authentication/verify`,
  };
  const options = { provider: { type: 'zhuyun-idaas', baseUrl: `${rig.server.url}/zhuyun-idaas`, clientId: 'zhuyun-demo-client' }, passkeys };
  const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${options}>
    ${extra}
    <auth-webauthn-register></auth-webauthn-register>
    <auth-passkey></auth-passkey>
  </auth-config>`);
  const client = config.client!;
  await client.ready;
  const register = config.querySelector('auth-webauthn-register')!;
  const passkey = config.querySelector('auth-passkey')!;
  await Promise.all([register.updateComplete, passkey.updateComplete]);
  return { config, client, register, passkey };
}

async function signInWithPassword(client: AuthClient) {
  const { error } = await client.signInWithPassword({ phone: `+86${DEMO_USER.mobile}`, password: 'demo-password' });
  expect(error).to.equal(null);
}

const button = (element: Element) => element.querySelector<HTMLButtonElement>('button[part~="button"]');
const message = (element: Element) => element.querySelector('[part~="message"][role="status"]')?.textContent?.trim() ?? '';
const alert = (element: Element) => element.querySelector('[part~="error"]')?.textContent?.trim() ?? '';

function collect<T>(target: EventTarget, type: string): T[] {
  const seen: T[] = [];
  target.addEventListener(type, (event) => seen.push((event as CustomEvent<T>).detail));
  return seen;
}

/** Signs in by password and registers a passkey through the element; returns its credential id. */
async function registerThroughElement(mounted: Mounted): Promise<string> {
  await signInWithPassword(mounted.client);
  await mounted.register.updateComplete;
  const registered = oneEvent(mounted.register, 'auth-passkey-registered');
  button(mounted.register)!.click();
  const { detail } = await registered;
  await until(() => message(mounted.register) === 'Passkey added.', undefined, 'Passkey added.');
  return detail.credentialId;
}

describe('<auth-webauthn-register>', () => {
  it('shows nothing while signed out, and one accessible button once signed in', async () => {
    const { client, register } = await mount();
    expect(button(register)).to.equal(null);
    await signInWithPassword(client);
    await register.updateComplete;
    expect(button(register)!.textContent!.trim()).to.equal('Add a passkey');
    await expect(register).to.be.accessible();
  });

  it('registers a passkey for the signed-in user on click, announces it, and says so', async () => {
    await rig.authenticator();
    const mounted = await mount();
    const errors = collect(mounted.config, 'auth-error');
    const registered = collect<{ credentialId: string }>(mounted.config, 'auth-passkey-registered');
    const credentialId = await registerThroughElement(mounted);
    expect(credentialId).to.match(/^[A-Za-z0-9_-]{16,}$/);
    expect(registered, 'bubbles to <auth-config>').to.deep.equal([{ credentialId }]);
    expect(errors).to.deep.equal([]);
    expect(alert(mounted.register)).to.equal('');
    expect(document.activeElement, 'focus back on the button').to.equal(button(mounted.register));
    await expect(mounted.register).to.be.accessible();
  });

  it('a dismissed prompt (user verification fails) is a calm message, not an auth-error', async () => {
    await rig.authenticator({ isUserVerified: false });
    const { client, register, config } = await mount();
    const errors = collect(config, 'auth-error');
    const registered = collect(config, 'auth-passkey-registered');
    await signInWithPassword(client);
    await register.updateComplete;
    // The server asks for UV "preferred"; Chromium still tries it and the authenticator refuses.
    button(register)!.click();
    await until(() => message(register) === CALM || !!alert(register), undefined, 'an outcome');
    expect(alert(register)).to.equal('');
    expect(message(register)).to.equal(CALM);
    expect(errors).to.deep.equal([]);
    expect(registered).to.deep.equal([]);
    await expect(register).to.be.accessible();
  });

  it('a real failure (server refuses the bearer) is an AuthError in the error part and an auth-error event', async () => {
    await rig.authenticator();
    const { client, register } = await mount();
    await signInWithPassword(client);
    await register.updateComplete;
    register.optionsUrl = `${rig.server.url}/passkeys/nothing-here`;
    const failed = oneEvent(register, 'auth-error');
    button(register)!.click();
    const { detail } = (await failed) as CustomEvent<{ error: AuthError }>;
    expect(detail.error.code).to.equal('invalid_request');
    expect(detail.error.status).to.equal(404);
    await until(() => !!alert(register), undefined, 'error shown');
    expect(alert(register)).to.equal('The sign-in service did not accept these details. Check them and try again.');
    await expect(register).to.be.accessible();
  });
});

describe('<auth-passkey>', () => {
  it('is an accessible button while signed out, and gone once signed in', async () => {
    const { client, passkey } = await mount();
    expect(button(passkey)!.textContent!.trim()).to.equal('Sign in with a passkey');
    await expect(passkey).to.be.accessible();
    await signInWithPassword(client);
    await passkey.updateComplete;
    expect(button(passkey)).to.equal(null);
  });

  it('registers, signs out, then signs in with the passkey: SIGNED_IN from the element, session from the server', async () => {
    await rig.authenticator();
    const mounted = await mount();
    const { client, passkey, register } = mounted;
    await registerThroughElement(mounted);
    await client.signOut();
    await passkey.updateComplete;
    expect(client.state.status).to.equal('signed-out');

    const errors = collect(mounted.config, 'auth-error');
    const changes: Array<{ event: string; session: Session | null; target: EventTarget | null }> = [];
    mounted.config.addEventListener('auth-state-change', (event) => changes.push({ ...event.detail, target: event.target }));
    button(passkey)!.focus();
    await sendKeys({ press: 'Enter' }); // a real user gesture, from the keyboard
    await until(() => changes.some((c) => c.event === 'SIGNED_IN'), undefined, 'SIGNED_IN');
    const signedIn = changes.find((c) => c.event === 'SIGNED_IN')!;
    expect(signedIn.target, 'announced from <auth-passkey>').to.equal(passkey);
    expect(signedIn.session!.user.id).to.equal(DEMO_USER.id);
    expect(signedIn.session!.provider).to.equal('zhuyun-idaas');
    expect(signedIn.session!.expires_in).to.equal(300);
    expect(client.state.status).to.equal('signed-in');
    expect(errors).to.deep.equal([]);

    // The passkey session is a bearer the service accepts: this authenticator already holds a
    // passkey for the account (excludeCredentials), which is a calm message too.
    await register.updateComplete;
    button(register)!.click();
    await until(() => !!message(register) && message(register) !== 'Please wait…', undefined, 'an outcome');
    expect(alert(register)).to.equal('');
    expect(message(register)).to.equal('This device already has a passkey for your account.');
  });

  it('user verification refused: the calm message, no auth-error, still signed out; accessible', async () => {
    await rig.authenticator();
    const mounted = await mount();
    await registerThroughElement(mounted);
    await mounted.client.signOut();
    await rig.authenticator({ isUserVerified: false });
    const { passkey, config, client } = mounted;
    await passkey.updateComplete;
    const errors = collect(config, 'auth-error');
    button(passkey)!.click();
    await until(() => message(passkey) === CALM || !!alert(passkey), undefined, 'an outcome');
    expect(message(passkey)).to.equal(CALM);
    expect(alert(passkey)).to.equal('');
    expect(errors).to.deep.equal([]);
    expect(client.state.status).to.equal('signed-out');
    expect(button(passkey)!.disabled).to.equal(false);
    await expect(passkey).to.be.accessible();
  });

  it('conditional UI: with a `username webauthn` input on the page, a passkey picked in autofill signs in', async () => {
    await rig.authenticator();
    // Chromium reports conditional mediation once an authenticator that can do it is present.
    expect(await PublicKeyCredential.isConditionalMediationAvailable?.()).to.equal(true);
    const mounted = await mount(html`<form><label>Phone <input name="username" autocomplete="username webauthn" /></label></form>`);
    await registerThroughElement(mounted);
    const { client, passkey } = mounted;
    const changes: Array<{ event: string; target: EventTarget | null }> = [];
    passkey.addEventListener('auth-state-change', (event) => changes.push({ event: event.detail.event, target: event.target }));
    await client.signOut();
    // No click: the element waits in the input's autofill, and Chromium's virtual authenticator
    // (automatic presence) picks the passkey as a person would.
    await until(() => client.state.status === 'signed-in', undefined, 'signed in through autofill');
    expect(changes.filter((c) => c.event === 'SIGNED_IN' && c.target === passkey)).to.have.length(1);
    expect(client.state.user!.id).to.equal(DEMO_USER.id);
  });

  it('`no-autofill` keeps conditional UI off; the button still signs in', async () => {
    await rig.authenticator();
    const mounted = await mount(html`<form><label>Phone <input name="username" autocomplete="username webauthn" /></label></form>`);
    mounted.passkey.noAutofill = true;
    await registerThroughElement(mounted);
    const { client, passkey } = mounted;
    // Every passkey request from here on, and every check whether autofill could offer one.
    const requests: Array<CredentialMediationRequirement | undefined> = [];
    const probes: string[] = [];
    const { get } = navigator.credentials;
    const { isConditionalMediationAvailable: available } = PublicKeyCredential;
    navigator.credentials.get = (options?: CredentialRequestOptions) => (requests.push(options?.mediation), get.call(navigator.credentials, options));
    PublicKeyCredential.isConditionalMediationAvailable = () => (probes.push(client.state.status), available.call(PublicKeyCredential));
    try {
      await client.signOut();
      await passkey.updateComplete;
      // Signed out with a `webauthn` input on the page: autofill would be armed by now and, one
      // task later (it lets sibling elements render first), ask whether conditional UI is
      // available. That task was queued before this one.
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(probes, 'autofill not even considered').to.deep.equal([]);
      expect(requests, 'no conditional request').to.deep.equal([]);
      expect(client.state.status, 'no sign-in without a click').to.equal('signed-out');
      const signedIn = oneEvent(passkey, 'auth-state-change');
      button(passkey)!.click();
      const { detail } = await signedIn;
      expect(detail.event).to.equal('SIGNED_IN');
      expect(client.state.user!.id).to.equal(DEMO_USER.id);
      expect(requests, 'one request, from the click').to.have.length(1);
      expect(requests[0]).to.not.equal('conditional');
      expect(probes, 'still no autofill').to.deep.equal([]);
    } finally {
      navigator.credentials.get = get;
      PublicKeyCredential.isConditionalMediationAvailable = available;
    }
  });

  it('without passkey URLs it says the site is not set up, as an auth-error', async () => {
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${{ provider: { type: 'zhuyun-idaas', baseUrl: `${rig.server.url}/zhuyun-idaas`, clientId: 'zhuyun-demo-client' } }}>
      <auth-passkey></auth-passkey>
    </auth-config>`);
    await config.client!.ready;
    const passkey = config.querySelector('auth-passkey')!;
    await passkey.updateComplete;
    const failed = oneEvent(passkey, 'auth-error');
    button(passkey)!.click();
    const { detail } = (await failed) as CustomEvent<{ error: AuthError }>;
    expect(detail.error.code).to.equal('config');
    await until(() => alert(passkey) === 'Sign-in is not set up correctly on this site.', undefined, 'config error');
  });
});
