// <auth-profile>'s Passkeys section against the reference server's passkey service, with
// Chromium's virtual authenticator (passkeys group only): the list, Add, Remove (asked first).
// The session comes from the Zhuyun IDaaS emulation, whose token the passkey service accepts.
import { expect, fixture, html } from '@open-wc/testing';
import type { AuthConfig } from '../auth-config/auth-config.js';
import '../auth-config/define.js';
import './define.js';
import type { AuthProfile } from './auth-profile.js';
import { referencePasskeyRig } from '../../../test/support/commands.js';
import { until } from '../../../test/support/environment.js';

const rig = referencePasskeyRig();

async function mount(credentialsUrl: string | null = `${rig.server.url}/passkeys/credentials`) {
  const passkeys = {
    optionsUrl: `${rig.server.url}/passkeys/registration/options`,
    verifyUrl: `${rig.server.url}/passkeys/registration/verify`,
    ...(credentialsUrl ? { credentialsUrl } : {}),
  };
  const options = { provider: { type: 'zhuyun-idaas', baseUrl: `${rig.server.url}/zhuyun-idaas`, clientId: 'zhuyun-demo-client' }, passkeys };
  const config = await fixture<AuthConfig>(html`<auth-config storage="memory" lang="en" .options=${options}><auth-profile></auth-profile></auth-config>`);
  const client = config.client!;
  await client.ready;
  const { error } = await client.signInWithPassword({ phone: '+8613800000010', password: 'demo-password' });
  expect(error).to.equal(null);
  const element = config.querySelector('auth-profile') as AuthProfile;
  await element.updateComplete;
  return { element, client };
}

const passkeys = (element: Element) => element.querySelector<HTMLElement>('section[part~="passkeys"]')!;
const buttons = (element: Element, label: string) => [...passkeys(element).querySelectorAll<HTMLButtonElement>('button')].filter((b) => b.textContent!.trim() === label);
const status = (element: Element) => passkeys(element).querySelector('[part~="status"]')?.textContent?.trim() ?? '';

describe('<auth-profile> passkeys', () => {
  it('lists none, adds one (auth-passkey-registered), lists it with its date, removes it after asking', async () => {
    await rig.authenticator();
    const { element } = await mount();
    await until(() => passkeys(element)?.textContent?.includes('No passkeys yet.') ?? false, undefined, 'an empty list');
    const registered: string[] = [];
    element.addEventListener('auth-passkey-registered', (event) => registered.push(event.detail.credentialId));
    buttons(element, 'Add a passkey')[0]!.click();
    await until(() => status(element) === 'Passkey added.', undefined, 'added');
    await until(() => buttons(element, 'Remove').length === 1, undefined, 'listed');
    expect(registered.length).to.equal(1);
    const today = new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(Date.now());
    expect(passkeys(element).textContent).to.contain(`Added ${today}`);
    await expect(element).to.be.accessible();

    buttons(element, 'Remove')[0]!.click();
    await element.updateComplete;
    expect(passkeys(element).textContent).to.contain('Remove this passkey? You will no longer be able to sign in with it.');
    buttons(element, 'Remove')[0]!.click();
    await until(() => status(element) === 'Passkey removed.', undefined, 'removed');
    await until(() => passkeys(element).textContent!.includes('No passkeys yet.'), undefined, 'the list is empty again');
    await until(() => document.activeElement === buttons(element, 'Add a passkey')[0], undefined, 'focus on Add');
  });

  it('a list the service refuses says so in the section and Add stays; without a list URL there is no list', async () => {
    const { element } = await mount(`${rig.server.url}/passkeys/nothing-here`);
    await until(() => !!passkeys(element)?.querySelector('[role="alert"]'), undefined, 'the list error');
    expect(passkeys(element).querySelector('[role="alert"]')!.textContent!.trim()).to.not.equal('');
    expect(buttons(element, 'Add a passkey').length).to.equal(1);
    const plain = await mount(null);
    expect(buttons(plain.element, 'Add a passkey').length).to.equal(1);
    expect(passkeys(plain.element).querySelector('ul, [role="alert"], [aria-busy]')).to.equal(null);
  });
});
