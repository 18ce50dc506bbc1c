// node --import tsx --test src/providers/cloudbase/*.node.test.ts
// The client's account, recovery and other CloudBase v3 flows over the CloudBase adapter, against
// the emulation: what the SDK does for them is compared request by request in
// test/e2e/cloudbase-sdk.node.test.ts; here, the client's side (steps, events, errors).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { cloudbaseBackend } from '../../../demo/server/cloudbase/index.js';
import { mountBackend } from '../../../test/support/backend-harness.js';
import { testEnvironment, until } from '../../../test/support/environment.js';
import type { AuthChangeEvent } from '../../contract/index.js';
import { AuthClient } from '../../core/client.js';
import { memoryStorage, type StorageAdapter } from '../../core/storage.js';
import { cloudbaseProvider, type CloudbaseSettings } from './cloudbase.js';

type Mount = Awaited<ReturnType<typeof mountBackend>>;
const APP = 'http://127.0.0.1:5199/app';
const PASSWORD = 'demo-password';

describe('cloudbase account, recovery and the other v3 flows', () => {
  let m: Mount;
  let serial = 0;
  before(async () => {
    m = await mountBackend(cloudbaseBackend, { policies: { sendIntervalSeconds: 0 } });
  });
  after(() => m.close());

  const code = (to: string) => m.ctx.outbox.latestCode(to, 'cloudbase')!;
  const unique = () => `${++serial}-${Date.now() % 100000}`;

  function makeClient(settings: Partial<CloudbaseSettings> = {}, options: { storage?: StorageAdapter; url?: string } = {}) {
    const provider = cloudbaseProvider({ env: 'demo-env', baseUrl: m.url, providers: ['github', 'google'], deviceId: 'device-account', accessKey: 'demo-publishable-key', ...settings });
    const env = testEnvironment(options.url ?? APP);
    const client = new AuthClient({ provider, storage: options.storage ?? memoryStorage(), environment: env, autoRefresh: false });
    const events: AuthChangeEvent[] = [];
    client.onAuthStateChange((event) => void events.push(event));
    return { client, env, events };
  }

  /** A new person with an email and a password, signed in. */
  async function person(email = `person-${unique()}@example.com`) {
    const made = makeClient();
    await made.client.signUp({ email, password: PASSWORD });
    assert.equal((await made.client.verifyOtp({ token: code(email) })).error, null);
    return { ...made, email };
  }

  /** The local consent page (the third party's stand-in): approve, and the callback URL. */
  async function consent(uri: string, name: string): Promise<string> {
    const url = new URL(uri);
    url.searchParams.set('approve', '1');
    url.searchParams.set('name', name);
    const res = await fetch(url, { redirect: 'manual' });
    return res.headers.get('location')!;
  }

  test('recovery by email: the code, a wrong code, then the new password; PASSWORD_RECOVERY then SIGNED_IN', async () => {
    const { email } = await person();
    const { client, events } = makeClient();
    const started = await client.resetPasswordForEmail(email);
    assert.equal(started.error, null);
    const step = started.data.step!;
    assert.deepEqual({ kind: step.kind, stage: step.kind === 'recovery' && step.stage, channel: step.kind === 'recovery' && step.channel, origin: step.origin }, { kind: 'recovery', stage: 'verify', channel: 'email', origin: 'recovery' });
    const right = code(email);
    const wrong = await client.completeRecovery({ code: right === '000000' ? '111111' : '000000', newPassword: 'brand-new-password' });
    assert.equal(wrong.error?.code, 'invalid_code');
    assert.equal(client.state.pending?.kind, 'recovery', 'still waiting for the code');
    const done = await client.completeRecovery({ code: right, newPassword: 'brand-new-password' });
    assert.equal(done.error, null);
    assert.equal(done.data.session!.user.email, email);
    await until(() => events.includes('SIGNED_IN'));
    assert.deepEqual(events.filter((e) => e !== 'INITIAL_SESSION'), ['PASSWORD_RECOVERY', 'SIGNED_IN']);
    assert.equal((await makeClient().client.signInWithPassword({ email, password: 'brand-new-password' })).error, null);
    client.destroy();
  });

  test('recovery by phone, and of an unknown account: the same step, and any code is simply wrong', async () => {
    const { client } = makeClient();
    const started = await client.resetPasswordForEmail('+8613800000002');
    assert.equal(started.data.step?.kind, 'recovery');
    assert.equal(m.ctx.outbox.list({ to: '+86 13800000002' })[0]!.purpose, 'login');
    client.cancelStep();
    const before = m.ctx.outbox.list({ backend: 'cloudbase' }).length;
    const ghost = await client.resetPasswordForEmail('nobody-at-all@example.com');
    assert.equal(ghost.error, null, 'never says whether the account exists');
    assert.equal(ghost.data.step?.kind, 'recovery');
    assert.equal(m.ctx.outbox.list({ backend: 'cloudbase' }).length, before, 'no code went out');
    assert.equal((await client.completeRecovery({ code: '123456', newPassword: 'brand-new-password' })).error?.code, 'invalid_code');
    // A username cannot recover on CloudBase.
    assert.deepEqual((await client.resetPassword({ username: 'demo' })).error?.invalid, { identifier: 'required' });
    client.destroy();
  });

  test('updateUser: a name at once (USER_UPDATED); a new email after its code (verify_contact)', async () => {
    const { client, events } = await person();
    const named = await client.updateUser({ name: 'Renamed Person' });
    assert.equal(named.error, null);
    assert.equal(named.data.user!.name, 'Renamed Person');
    assert.equal(client.state.session!.user.name, 'Renamed Person');
    await until(() => events.includes('USER_UPDATED'));
    const next = `moved-${unique()}@example.com`;
    const asked = await client.updateUser({ email: next, name: 'Moved Person' });
    assert.equal(asked.error, null);
    const step = asked.data.step!;
    assert.equal(step.kind, 'verify_contact');
    assert.equal(step.origin, 'profile');
    assert.equal(step.kind === 'verify_contact' && step.target, next);
    assert.equal(client.state.session!.user.name, 'Moved Person', 'the rest was saved at once');
    const right = code(next);
    assert.equal((await client.verifyContact({ code: right === '000000' ? '111111' : '000000' })).error?.code, 'invalid_code');
    assert.equal((await client.verifyContact({ code: ' ' })).error?.code, 'invalid_code');
    const done = await client.verifyContact({ code: right });
    assert.equal(done.error, null);
    assert.equal(done.data.user!.email, next);
    assert.equal(client.state.session!.user.email, next);
    assert.equal(client.state.pending, null);
    assert.equal((await client.verifyContact({ code: right })).error?.providerCode, 'no_pending_step');
    assert.equal((await client.updateUser({})).error?.providerCode, 'nothing_to_update');
    client.destroy();
  });

  test('updateUser: a new phone (SMS, Shanghai only); signed out, nothing can be changed', async () => {
    const { client } = await person();
    const phone = `+86139${String(Date.now()).slice(-8)}`;
    const asked = await client.updateUser({ phone });
    assert.equal(asked.data.step?.kind, 'verify_contact');
    const done = await client.verifyContact({ code: code(`+86 ${phone.slice(3)}`) });
    assert.equal(done.error, null);
    assert.equal(done.data.user!.phone, `+86 ${phone.slice(3)}`);
    await client.signOut();
    assert.equal((await client.updateUser({ name: 'x' })).error?.code, 'session_expired');
    assert.equal((await client.unlinkIdentity({ provider: 'github' })).error?.code, 'session_expired');
    assert.equal((await client.linkIdentity({ provider: 'github' })).error?.code, 'session_expired');
    const abroad = makeClient({ region: 'ap-guangzhou' }).client;
    assert.equal(abroad.capabilities.account?.phone, false);
    client.destroy();
  });

  test('linkIdentity: a redirect, bound on return (BIND_IDENTITY); unlinkIdentity unbinds', async () => {
    const { client, env, events } = await person();
    const started = await client.linkIdentity({ provider: 'github' });
    assert.equal(started.error, null);
    assert.equal(env.navigations.at(-1), started.data.url);
    env.current = await consent(started.data.url!, `Linker ${unique()}`);
    const back = await client.handleRedirectCallback();
    assert.equal(back.error, null);
    await until(() => events.includes('BIND_IDENTITY'));
    assert.deepEqual((client.state.session!.user.providers as Array<{ id: string }>).map((p) => p.id), ['github']);
    assert.ok(!events.slice(events.indexOf('BIND_IDENTITY')).includes('SIGNED_IN'), 'the same person, not a new sign-in');
    const unlinked = await client.unlinkIdentity({ provider: 'github' });
    assert.equal(unlinked.error, null);
    assert.deepEqual(client.state.session!.user.providers, []);
    assert.equal((await client.unlinkIdentity({ provider: 'github' })).error?.code, 'user_not_found');
    client.destroy();
  });

  test('linkIdentity completed by a page that has just loaded: INITIAL_SESSION, then BIND_IDENTITY', async () => {
    const storage = memoryStorage();
    const email = `loader-${unique()}@example.com`;
    const first = makeClient({}, { storage });
    await first.client.signUp({ email, password: PASSWORD });
    await first.client.verifyOtp({ token: code(email) });
    const started = await first.client.linkIdentity({ provider: 'google' });
    const callback = await consent(started.data.url!, `Loader ${unique()}`);
    first.client.destroy();
    const second = makeClient({}, { storage, url: callback });
    await second.client.ready;
    await until(() => second.events.includes('BIND_IDENTITY'));
    assert.deepEqual(second.events, ['INITIAL_SESSION', 'BIND_IDENTITY']);
    assert.equal(second.client.state.session!.user.email, email);
    assert.deepEqual((second.client.state.session!.user.providers as Array<{ id: string }>).map((p) => p.id), ['google']);
    assert.equal(new URL(second.env.current!).searchParams.get('code'), null, 'the callback parameters are gone');
    second.client.destroy();
  });

  test('signInWithCustomTicket: the ticket from the site\'s server; a missing or failing ticket is refused', async () => {
    const { client } = makeClient();
    const uid = `site-user-${unique()}`;
    const mint = async () => ((await (await fetch(`${m.url}/custom/ticket`, { method: 'POST', body: JSON.stringify({ uid }) })).json()) as { ticket: string }).ticket;
    const signed = await client.signInWithCustomTicket(mint);
    assert.equal(signed.error, null);
    assert.equal(signed.data.session!.user.name, uid);
    await client.signOut();
    assert.equal((await client.signInWithCustomTicket(() => '')).error?.providerCode, 'no_ticket');
    const failing = await client.signInWithCustomTicket(() => Promise.reject(new Error('site down')));
    assert.deepEqual([failing.error?.code, failing.error?.providerCode], ['server', 'ticket_unavailable']);
    assert.equal((await client.signInWithCustomTicket(() => 'forged')).error?.code, 'code_expired');
    client.destroy();
  });

  test('signInWithIdToken: the third party\'s token straight to /signin/with/provider', async () => {
    const res = await fetch(`${m.url}/auth/v1/provider/demo-idp/id_token?client_id=demo-env`, { method: 'POST', headers: { 'x-device-id': 'd' }, body: JSON.stringify({ provider_id: 'google', sub: `g-${unique()}`, name: 'Gee User' }) });
    const { id_token } = (await res.json()) as { id_token: string };
    const { client } = makeClient();
    const signed = await client.signInWithIdToken({ provider: 'google', token: id_token });
    assert.equal(signed.error, null);
    assert.equal(signed.data.session!.user.name, 'Gee User');
    assert.equal((await client.signInWithIdToken({ provider: 'google', token: 'a.b.c' })).error?.code, 'code_expired');
    client.destroy();
  });

  test('mfa_phone_required after a phone sign-in: a second factor by SMS to that phone', async () => {
    const { client } = makeClient();
    const first = await client.signInWithPassword({ phone: '+8613800000003', password: PASSWORD });
    const step = first.data.step!;
    assert.equal(step.kind, 'second_factor');
    assert.deepEqual(step.kind === 'second_factor' && [step.methods, step.target, step.ask], [['sms'], '+86 13800000003', undefined]);
    assert.equal((await client.sendSecondFactor({ method: 'sms' })).error, null);
    const done = await client.verifySecondFactor({ code: code('+86 13800000003') });
    assert.equal(done.error, null);
    assert.equal(done.data.session!.user.username, 'smsonly');
    client.destroy();
  });

  test('mfa_phone_required after a username sign-in: the step asks for the phone', async () => {
    const { client } = makeClient();
    const first = await client.signInWithPassword({ username: 'smsonly', password: PASSWORD });
    const step = first.data.step!;
    assert.deepEqual(step.kind === 'second_factor' && [step.target, step.ask], [undefined, 'phone']);
    assert.deepEqual((await client.sendSecondFactor({ method: 'sms' })).error?.invalid, { phone: 'required' });
    assert.equal((await client.sendSecondFactor({ method: 'sms', phone: '+8613800000003' })).error, null);
    const done = await client.verifySecondFactor({ code: code('+86 13800000003') });
    assert.equal(done.error, null);
    assert.equal(done.data.session!.user.username, 'smsonly');
    client.destroy();
  });
});
