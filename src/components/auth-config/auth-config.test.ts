import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { fakeAdapter } from '../../../test/support/fake-adapter.js';
import { until } from '../../../test/support/environment.js';
import { AuthController } from '../base/auth-controller.js';
import { configure, getClient } from '../../configure.js';
import type { AuthStateChangeDetail, AuthErrorDetail } from '../../contract/index.js';
import './define.js';
import type { AuthConfig } from './auth-config.js';

/** A minimal element of the kind every auth element is: it reaches its client through the controller. */
class TestConsumer extends LitElement {
  auth = new AuthController(this);
  renders = 0;
  signIn(password: string) {
    return this.auth.client!.signInWithPassword({ email: 'zoe', password }, this.auth.action());
  }
  protected override render() {
    this.renders++;
    return this.auth.state.status;
  }
}
customElements.define('test-consumer', TestConsumer);

type Heard = Array<{ where: string; target: string; event: string }>;
function listen(target: EventTarget, where: string, heard: Heard) {
  const onChange = (e: Event) => heard.push({ where, target: (e.target as Element).localName ?? '#document', event: (e as CustomEvent<AuthStateChangeDetail>).detail.event });
  const onError = (e: Event) => heard.push({ where, target: (e.target as Element).localName ?? '#document', event: `error:${(e as CustomEvent<AuthErrorDetail>).detail.error.code}` });
  target.addEventListener('auth-state-change', onChange);
  target.addEventListener('auth-error', onError);
  return () => {
    target.removeEventListener('auth-state-change', onChange);
    target.removeEventListener('auth-error', onError);
  };
}

afterEach(() => localStorage.clear());

describe('<auth-config>', () => {
  it('provides its client to the elements inside it', async () => {
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" .options=${{ provider: fakeAdapter() }}><test-consumer></test-consumer></auth-config>`);
    const consumer = config.querySelector('test-consumer') as TestConsumer;
    expect(consumer.auth.client).to.equal(config.client);
    await config.client!.ready;
    await consumer.updateComplete;
    expect(consumer.shadowRoot!.textContent).to.equal('signed-out');
  });

  it('builds the client from attributes (oidc) and refuses a secret-free config error only when acting', async () => {
    const config = await fixture<AuthConfig>(html`<auth-config provider="oidc" issuer="http://127.0.0.1:9" client-id="spa" storage="memory"></auth-config>`);
    expect(config.client!.adapter.type).to.equal('oidc');
    expect(config.client!.adapter.key).to.equal('oidc:http://127.0.0.1:9:spa');
    const unknown = await fixture<AuthConfig>(html`<auth-config provider="nope" storage="memory"></auth-config>`);
    const { error } = await unknown.client!.signInWithOAuth({ options: { skipBrowserRedirect: true } });
    expect(error?.code).to.equal('config');
  });

  it('an element-caused change is announced by the element and heard once at <auth-config> and document', async () => {
    const initial: string[] = [];
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" .options=${{ provider: fakeAdapter() }} @auth-state-change=${(e: CustomEvent<AuthStateChangeDetail>) => initial.push(e.detail.event)}><test-consumer></test-consumer></auth-config>`);
    // Listen from here on: INITIAL_SESSION has been announced, so only the sign-in is heard.
    await until(() => initial.includes('INITIAL_SESSION'), undefined, 'INITIAL_SESSION announced');
    const consumer = config.querySelector('test-consumer') as TestConsumer;
    const heard: Heard = [];
    const stops = [listen(consumer, 'element', heard), listen(config, 'config', heard), listen(document, 'document', heard)];
    await consumer.signIn('right');
    // Each of the three has heard it; a duplicate would come from the same round of tasks, before the check passes.
    await until(() => heard.length >= 3, undefined, 'SIGNED_IN at the element, <auth-config> and document');
    stops.forEach((stop) => stop());
    expect(heard).to.deep.equal([
      { where: 'element', target: 'test-consumer', event: 'SIGNED_IN' },
      { where: 'config', target: 'test-consumer', event: 'SIGNED_IN' },
      { where: 'document', target: 'test-consumer', event: 'SIGNED_IN' },
    ]);
    await consumer.updateComplete;
    expect(consumer.shadowRoot!.textContent).to.equal('signed-in');
  });

  it('a failed action fires auth-error from the element, once, with no password in it', async () => {
    const initial: string[] = [];
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" .options=${{ provider: fakeAdapter() }} @auth-state-change=${(e: CustomEvent<AuthStateChangeDetail>) => initial.push(e.detail.event)}><test-consumer></test-consumer></auth-config>`);
    await until(() => initial.includes('INITIAL_SESSION'), undefined, 'INITIAL_SESSION announced');
    const consumer = config.querySelector('test-consumer') as TestConsumer;
    const heard: Heard = [];
    let detail: unknown;
    consumer.addEventListener('auth-error', (e) => (detail = e.detail));
    const stop = listen(document, 'document', heard);
    await consumer.signIn('wrong-password');
    await until(() => heard.length >= 1 && detail !== undefined, undefined, 'auth-error at the element and document');
    stop();
    expect(heard).to.deep.equal([{ where: 'document', target: 'test-consumer', event: 'error:invalid_credentials' }]);
    expect(JSON.stringify(detail)).not.to.contain('wrong-password');
  });

  it('changes no element caused (refresh, INITIAL_SESSION) come from <auth-config>', async () => {
    const heard: Heard = [];
    const stop = listen(document, 'document', heard);
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" .options=${{ provider: fakeAdapter() }}><test-consumer></test-consumer></auth-config>`);
    await config.client!.ready;
    await config.client!.signInWithPassword({ email: 'x', password: 'right' });
    await config.client!.refreshSession();
    await until(() => heard.length >= 3, undefined, 'three events');
    stop();
    expect(heard).to.deep.equal([
      { where: 'document', target: 'auth-config', event: 'INITIAL_SESSION' },
      { where: 'document', target: 'auth-config', event: 'SIGNED_IN' },
      { where: 'document', target: 'auth-config', event: 'TOKEN_REFRESHED' },
    ]);
  });

  it('new attributes make a new client, which the elements inside follow', async () => {
    const config = await fixture<AuthConfig>(html`<auth-config provider="oidc" issuer="http://127.0.0.1:9" client-id="a" storage="memory"><test-consumer></test-consumer></auth-config>`);
    const consumer = config.querySelector('test-consumer') as TestConsumer;
    const before = config.client;
    config.setAttribute('client-id', 'b');
    await config.updateComplete;
    expect(config.client).not.to.equal(before);
    expect(config.client!.adapter.key).to.equal('oidc:http://127.0.0.1:9:b');
    expect(consumer.auth.client).to.equal(config.client);
  });

  it('settings given as properties right after connection are not lost', async () => {
    const config = document.createElement('auth-config');
    config.provider = 'oidc';
    config.clientId = 'spa';
    config.storage = 'memory';
    document.body.append(config);
    config.issuer = 'http://127.0.0.1:9'; // before the first update, as a page script would
    await config.updateComplete;
    expect(config.client!.adapter.key).to.equal('oidc:http://127.0.0.1:9:spa');
    expect(config.client!.adapter.configError).to.equal(undefined);
    config.remove();
  });

  it('outside any <auth-config>, elements use the default client and events reach document', async () => {
    const heard: Heard = [];
    const stop = listen(document, 'document', heard);
    const client = configure({ provider: fakeAdapter(), storage: 'memory' });
    expect(getClient()).to.equal(client);
    const consumer = await fixture<TestConsumer>(html`<test-consumer></test-consumer>`);
    expect(consumer.auth.client).to.equal(client);
    await client.ready;
    await consumer.signIn('right');
    await client.refreshSession();
    await until(() => heard.length >= 3, undefined, 'three events');
    stop();
    expect(heard).to.deep.equal([
      { where: 'document', target: '#document', event: 'INITIAL_SESSION' },
      { where: 'document', target: 'test-consumer', event: 'SIGNED_IN' },
      { where: 'document', target: '#document', event: 'TOKEN_REFRESHED' },
    ]);
    // A later configure() replaces the default and the element follows it.
    const next = configure({ provider: fakeAdapter(), storage: 'memory' });
    expect(consumer.auth.client).to.equal(next);
    next.destroy();
  });

  it('disconnecting an element aborts its request', async () => {
    const provider = fakeAdapter();
    let seenSignal: AbortSignal | undefined;
    provider.signInWithPassword = (_credentials, ctx) => {
      seenSignal = ctx.signal;
      return new Promise((_resolve, reject) => ctx.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    };
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" .options=${{ provider }}><test-consumer></test-consumer></auth-config>`);
    const consumer = config.querySelector('test-consumer') as TestConsumer;
    const pending = consumer.signIn('right');
    // The request is in flight (the client's flows are a chunk: it starts once that is here).
    await until(() => seenSignal !== undefined, undefined, 'the request started');
    consumer.remove();
    const { error } = await pending;
    expect(seenSignal?.aborted).to.equal(true);
    expect(error?.code).to.equal('cancelled');
  });

  it('disconnecting an element before its request starts cancels it', async () => {
    const provider = fakeAdapter();
    const config = await fixture<AuthConfig>(html`<auth-config storage="memory" .options=${{ provider }}><test-consumer></test-consumer></auth-config>`);
    const consumer = config.querySelector('test-consumer') as TestConsumer;
    const pending = consumer.signIn('right');
    consumer.remove();
    const { error } = await pending;
    expect(error?.code).to.equal('cancelled');
    expect(provider.calls.password).to.equal(0);
  });
});
