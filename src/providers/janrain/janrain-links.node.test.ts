// node --import tsx --test src/providers/janrain/janrain-links.node.test.ts
// The emailed links, over real HTTP (client → relay → reference server's Janrain emulation): the
// reset link opens the new password at start-up, and the verify-email link confirms the address.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { janrainBackend } from '../../../demo/server/janrain/index.js';
import { mountBackend } from '../../../test/support/backend-harness.js';
import { testEnvironment } from '../../../test/support/environment.js';
import { AuthClient } from '../../core/client.js';
import { janrainProvider, type JanrainSettings } from './janrain.js';
import { linkStep } from './links.js';
import { browserFetch, ORIGIN, startRelay } from './stack.node.test.js';

const PAGE = `${ORIGIN}/account`;
const VERIFY_PAGE = `${ORIGIN}/account?verify-email`;

describe('janrain emailed links: browser → relay → reference server', () => {
  let backend: Awaited<ReturnType<typeof mountBackend>>;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  const clients: AuthClient[] = [];
  before(async () => {
    backend = await mountBackend(janrainBackend, { policies: { sendIntervalSeconds: 30 } });
    relay = await startRelay(backend.url);
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await relay.close();
    await backend.close();
  });

  const settings = (overrides: Partial<JanrainSettings> = {}): JanrainSettings => ({
    baseUrl: relay.url, clientId: 'janrain-login-client', flow: 'standard', flowVersion: '20240101', locale: 'en-US', redirectUri: PAGE, verifyEmailUri: VERIFY_PAGE, ...overrides,
  });
  /** A page load at `url`: the client reads the link there at start-up. */
  function load(url: string, overrides: Partial<JanrainSettings> = {}) {
    const env = testEnvironment(url);
    const client = new AuthClient({ provider: janrainProvider(settings(overrides)), lang: 'en', storage: 'memory', environment: env, autoRefresh: false, http: { fetch: browserFetch({ sent: [], received: [] }) } });
    const events: string[] = [];
    client.onAuthStateChange((event) => void events.push(event));
    clients.push(client);
    return { client, env, events };
  }
  const link = (email: string) => {
    const message = backend.ctx.outbox.list({ backend: 'janrain', to: email })[0]!;
    return /(http\S+)/.exec(message.text)![1]!;
  };
  async function register(email: string) {
    const { client } = load(PAGE);
    const done = await client.signUp({ email, password: 'demo-password' });
    assert.equal(done.error, null);
    return client;
  }

  test('the reset link opens the new password at start-up, off the address bar; the new password then signs in', async () => {
    await register('linked@janrain.example');
    const asking = load(PAGE).client;
    await asking.resetPassword({ email: 'linked@janrain.example' });
    const url = link('linked@janrain.example');
    assert.match(url, /^http:\/\/127\.0\.0\.1:5173\/account\?verification_code=/);
    const { client, env, events } = load(url);
    await client.ready;
    const step = client.state.pending;
    assert.ok(step?.kind === 'recovery' && step.stage === 'new_password' && step.delivery === 'link' && step.origin === 'recovery');
    assert.equal(env.current, PAGE, 'the code is gone from the address bar');
    const short = await client.completeRecovery({ newPassword: 'short' });
    assert.equal(short.error?.code, 'invalid_request');
    assert.equal(short.error?.providerCode, 390);
    assert.deepEqual(short.error?.invalid, { newPassword: 'invalid' });
    assert.equal(client.state.pending?.kind, 'recovery', 'the new password may be typed again');
    const done = await client.completeRecovery({ newPassword: 'changed-pass-1' });
    assert.equal(done.error, null);
    assert.equal(done.data.session, null, 'no sign-in comes with a reset: the person signs in with the new password');
    assert.ok(events.includes('PASSWORD_RECOVERY'));
    assert.equal(client.state.pending, null);
    assert.equal((await client.signInWithPassword({ email: 'linked@janrain.example', password: 'changed-pass-1' })).error, null);
    // The code worked once.
    const again = load(url).client;
    await again.ready;
    const replay = await again.completeRecovery({ newPassword: 'changed-pass-2' });
    assert.equal(replay.error?.code, 'code_expired');
    assert.equal(replay.error?.providerCode, 415);
  });

  test('the verify-email link on its own page confirms the address; the signed-in person is updated', async () => {
    const { client: signedIn, events } = load(VERIFY_PAGE);
    assert.equal((await signedIn.signInWithPassword({ email: 'unverified@janrain.example', password: 'demo-password' })).error, null);
    assert.equal(signedIn.state.user?.email_verified, false);
    assert.equal(signedIn.capabilities.verifyEmail, true);
    const sent = await signedIn.sendEmailVerification();
    assert.equal(sent.error, null);
    assert.equal(sent.data.target, 'unverified@janrain.example');
    const url = link('unverified@janrain.example');
    assert.match(url, /\/account\?verify-email=&verification_code=/);
    // The link opens a new page load (signed out here: the address is confirmed all the same).
    const opened = load(url);
    await opened.client.ready;
    assert.equal(opened.client.state.pending?.kind, 'verify_email');
    assert.equal(opened.env.current, `${ORIGIN}/account?verify-email=`);
    const verified = await opened.client.verifyEmail();
    assert.equal(verified.error, null);
    assert.equal(verified.data.user?.email_verified, true);
    assert.equal(opened.client.state.pending, null);
    // The code works once; the backend now knows the address is confirmed.
    const again = load(url).client;
    await again.ready;
    assert.equal((await again.verifyEmail()).error?.code, 'code_expired');
    assert.equal((await signedIn.signInWithPassword({ email: 'unverified@janrain.example', password: 'demo-password' })).data.user?.email_verified, true);
    assert.equal(events.filter((e) => e === 'SIGNED_IN').length, 2);
  });

  test('USER_UPDATED when the person who follows the link is signed in here', async () => {
    // One storage for two page loads: the second starts signed in, at the link.
    const kept = new Map<string, string>();
    const storage = { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v), removeItem: (k: string) => void kept.delete(k) };
    const page = (url: string) => {
      const client = new AuthClient({ provider: janrainProvider(settings()), lang: 'en', storage, environment: testEnvironment(url), autoRefresh: false, http: { fetch: browserFetch({ sent: [], received: [] }) } });
      clients.push(client);
      return client;
    };
    await register('verify-me@janrain.example');
    const first = page(VERIFY_PAGE);
    assert.equal((await first.signInWithPassword({ email: 'verify-me@janrain.example', password: 'demo-password' })).data.user?.email_verified, false);
    backend.clock.advance(31_000);
    assert.equal((await first.sendEmailVerification()).error, null);
    const second = page(link('verify-me@janrain.example'));
    const events: string[] = [];
    second.onAuthStateChange((event) => void events.push(event));
    await second.ready;
    assert.equal(second.state.status, 'signed-in');
    assert.equal(second.state.pending?.kind, 'verify_email');
    assert.equal((await second.verifyEmail()).error, null);
    assert.deepEqual(events, ['INITIAL_SESSION', 'USER_UPDATED']);
    assert.equal(second.state.user?.email_verified, true);
    assert.equal(JSON.parse(kept.get([...kept.keys()].find((k) => k.endsWith(':session'))!)!).user.email_verified, true, 'stored');
  });

  test('without verifyEmailUri a link is a reset link, and email verification is not offered', () => {
    const url = new URL(`${PAGE}?verification_code=abc`);
    assert.equal(linkStep(url, {})?.step.kind, 'recovery');
    assert.equal(linkStep(new URL(`${VERIFY_PAGE}&verification_code=abc`), {})?.step.kind, 'recovery');
    assert.equal(linkStep(new URL(`${VERIFY_PAGE}&verification_code=abc`), { verifyEmailUri: VERIFY_PAGE })?.step.kind, 'verify_email');
    assert.equal(linkStep(new URL(PAGE), { verifyEmailUri: VERIFY_PAGE }), null);
    assert.equal(load(PAGE, { verifyEmailUri: undefined }).client.capabilities.verifyEmail, false);
  });
});
