// While start-up restores a stored session (`client.restoring`), the elements that only offer a
// sign-in (<auth-otp>, <auth-social>, <auth-passkey>) show nothing, as they do once someone is
// signed in: a returning person saw their forms and buttons flash before they vanished.
import { expect, fixture, html } from '@open-wc/testing';
import { fakeAdapter } from '../../../test/support/fake-adapter.js';
import { until } from '../../../test/support/environment.js';
import { key, stored } from '../../../test/support/client.js';
import { AuthError } from '../../contract/index.js';
import { memoryStorage } from '../../core/storage.js';
import { lazyAdapter } from '../../providers/lazy.js';
import { webAuthnSupported } from '../../core/passkeys.js';
import '../auth-config/define.js';
import '../auth-otp/define.js';
import '../auth-social/define.js';
import '../auth-passkey/define.js';
import type { AuthConfig } from '../auth-config/auth-config.js';
import type { AuthFormElement } from './auth-form-element.js';

const TAGS = ['auth-otp', 'auth-social', 'auth-passkey'] as const;
const controls = (element: Element) => element.querySelectorAll('input, button').length;

/**
 * The three elements under one configuration whose stored session is being restored: the
 * backend's code is a chunk held back until `settle()` (as in the script tag, start-up waits
 * for it), so the restoring lasts until the test lets it end. `refused`: the stored session is
 * expired and its refresh is refused, so the person ends signed out.
 */
async function restoring(refused: boolean) {
  const real = fakeAdapter();
  real.capabilities.oauth = ['github'];
  const storage = memoryStorage();
  storage.setItem(key(real), JSON.stringify(refused ? stored(real, 600, 700) : stored(real)));
  if (refused) real.refreshWith.push(new AuthError('session_expired'));
  let release!: () => void;
  const arrived = new Promise<void>((resolve) => (release = resolve));
  const provider = lazyAdapter('oidc', { key: real.key, capabilities: real.capabilities }, () => arrived.then(() => real));
  const config = await fixture<AuthConfig>(html`<auth-config lang="en" .options=${{ provider, storage }}>
    <auth-otp></auth-otp><auth-social></auth-social><auth-passkey></auth-passkey>
  </auth-config>`);
  const elements = TAGS.map((tag) => config.querySelector(tag) as AuthFormElement);
  // Each element has its views and words, and has drawn what it draws while restoring: nothing.
  await until(() => config.client!.restoring && elements.every((element) => element.viewsReady && element.i18n.ready), undefined, 'restoring, every element drawn');
  await Promise.all(elements.map((element) => element.updateComplete));
  for (const element of elements) expect(controls(element), `${element.localName} while restoring`).to.equal(0);
  /** Lets the backend's code arrive: start-up settles the session, and each element draws again. */
  const settle = async () => {
    release();
    await config.client!.ready;
    await Promise.all(elements.map((element) => element.updateComplete));
  };
  return { client: config.client!, elements, settle };
}

describe('elements that offer a sign-in, while a stored session is restored', () => {
  it('show nothing, then nothing once the person is signed in', async () => {
    const { client, elements, settle } = await restoring(false);
    await settle();
    expect(client.state.status).to.equal('signed-in');
    for (const element of elements) expect(controls(element), `${element.localName} signed in`).to.equal(0);
  });

  it('show their controls once the stored session is refused', async () => {
    const { client, elements, settle } = await restoring(true);
    await settle();
    expect(client.state.status).to.equal('signed-out');
    const [otp, social, passkey] = elements;
    expect(otp!.querySelector('input[name="username"]'), '<auth-otp>: where to send the code').to.exist;
    expect(controls(social!), '<auth-social>: a button per source').to.equal(1);
    // WebKitGTK's MiniBrowser has no WebAuthn: no passkey button there.
    expect(controls(passkey!), '<auth-passkey>').to.equal(webAuthnSupported() ? 1 : 0);
  });
});
