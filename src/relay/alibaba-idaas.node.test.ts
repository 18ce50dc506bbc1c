// Alibaba's credential step: the client_credentials app token, cached until shortly before it
// expires, renewed single-flight, renewed and retried once when the backend refuses it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRelay } from './index.js';
import { ALIBABA, alibabaFixture } from '../../test/relay/fixtures.js';
import { Journal, SECRET, call, isRelayError, modes, sendJson, startStub, type Stub } from '../../test/relay/harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('alibaba-idaas app token', () => {
  let fixture: ReturnType<typeof alibabaFixture>;
  let stub: Stub;
  const journal = new Journal();
  const login = (relay: ReturnType<typeof createRelay>, n: number) =>
    call(journal, relay, `${ALIBABA}/login/pwd`, { json: { username: `user-${n}`, password: 'pw' }, clientAddress: `192.0.2.${n % 250}` });
  const forwarded = () => stub.requests.filter((r) => r.path === `${ALIBABA}/login/pwd`);

  before(async () => {
    fixture = alibabaFixture();
    stub = await startStub(fixture.respond);
  });
  after(() => stub.close());
  const reset = () => {
    stub.requests.length = 0;
    Object.assign(fixture.state, { tokenCalls: 0, expiresIn: 7200, tokenDelayMs: 0, tokenStatus: 200 });
    fixture.state.valid.clear();
  };
  const relayFor = () => createRelay({ ...fixture.options(stub.url), log: journal.log });

  it('fetches one token with client_credentials and reuses it', async () => {
    reset();
    const relay = relayFor();
    for (let i = 0; i < 5; i++) assert.equal((await login(relay, i)).status, 200);
    assert.equal(fixture.state.tokenCalls, 1);
    const tokenCall = stub.requests.find((r) => r.path === `${ALIBABA}/oauth/token`)!;
    assert.equal(tokenCall.method, 'POST');
    assert.equal(tokenCall.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(tokenCall.body), { client_id: 'ali-client', client_secret: SECRET, grant_type: 'client_credentials', scope: 'APPLICATION_API' });
    // By default the token travels in the Authorization header, never in the URL (where access
    // logs would keep a token that can sign in any user).
    const sent = forwarded().map((r) => String(r.headers.authorization ?? ''));
    assert.equal(new Set(sent).size, 1);
    assert.match(sent[0]!, /^Bearer app-token-1-/);
    assert.deepEqual(forwarded().map((r) => r.query.get('access_token')), Array(5).fill(null));
  });

  it('renews single-flight: concurrent requests wait for one token call', async () => {
    reset();
    fixture.state.tokenDelayMs = 150;
    const relay = relayFor();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login(relay, 100 + i)));
    assert.deepEqual(results.map((r) => r.status), Array(12).fill(200));
    assert.equal(fixture.state.tokenCalls, 1);
  });

  it('renews shortly before expires_in runs out', async () => {
    reset();
    fixture.state.expiresIn = 1; // margin is then half the lifetime: renewed after 0.5 s
    const relay = relayFor();
    assert.equal((await login(relay, 1)).status, 200);
    assert.equal((await login(relay, 2)).status, 200);
    assert.equal(fixture.state.tokenCalls, 1);
    await sleep(600);
    assert.equal((await login(relay, 3)).status, 200);
    assert.equal(fixture.state.tokenCalls, 2);
  });

  it('renews once and retries once when the backend refuses the token', async () => {
    reset();
    const relay = relayFor();
    assert.equal((await login(relay, 1)).status, 200);
    fixture.state.valid.clear(); // revoked upstream
    const start = forwarded().length;
    const retried = await login(relay, 2);
    assert.equal(retried.status, 200, retried.text);
    assert.equal(fixture.state.tokenCalls, 2);
    assert.equal(forwarded().length - start, 2, 'one refused call and one retry');

    // A backend that refuses every token: one retry, then 502 (not the backend's 401, which a
    // browser adapter would read as its own session expiring), never a loop.
    const refuseAll = fixture.respond;
    stub.override = (req, res) =>
      req.path.endsWith('/oauth/token') ? refuseAll(req, res) : sendJson(res, 401, { error: 'invalid_token', error_description: 'no' });
    try {
      const before = forwarded().length;
      const refused = await login(relay, 3);
      assert.equal(refused.status, 502);
      assert.ok(isRelayError(refused, 'bad_gateway'));
      assert.equal(forwarded().length - before, 2);
    } finally {
      stub.override = undefined;
    }
  });

  it('answers 502 when the token call fails, says nothing of why, and tries again next time', async () => {
    reset();
    fixture.state.tokenStatus = 500; // its body even quotes the secret
    const relay = relayFor();
    const failed = await login(relay, 1);
    assert.equal(failed.status, 502);
    assert.ok(isRelayError(failed, 'bad_gateway'));
    assert.equal(forwarded().length, 0);
    fixture.state.tokenStatus = 200;
    assert.equal((await login(relay, 2)).status, 200);
    assert.equal(fixture.state.tokenCalls, 2);
  });

  it('answers 504 to every waiting request when the token call hangs', async () => {
    reset();
    stub.override = modes.hang();
    try {
      const relay = createRelay({ ...fixture.options(stub.url), limits: { timeoutMs: 250 }, log: journal.log });
      const results = await Promise.all([login(relay, 1), login(relay, 2), login(relay, 3)]);
      for (const r of results) {
        assert.equal(r.status, 504);
        assert.ok(isRelayError(r, 'upstream_timeout'));
      }
      assert.equal(stub.requests.length, 1, 'one token call for all three');
    } finally {
      stub.override = undefined;
    }
  });

  it('refuses any grant but refresh_token on the token path', async () => {
    reset();
    const relay = relayFor();
    for (const grant of ['client_credentials', 'password', 'authorization_code', undefined]) {
      const seen = await call(journal, relay, `${ALIBABA}/oauth/token`, { json: { grant_type: grant, client_id: 'ali-client', scope: 'MANAGEMENT_APPLICATION_API' } });
      assert.equal(seen.status, 400, String(grant));
      assert.ok(isRelayError(seen, 'invalid_request'));
    }
    assert.equal(stub.requests.length, 0);
  });

  it('sends the token as ?access_token= only with appTokenIn: "query"', async () => {
    const headerFixture = alibabaFixture({ appTokenIn: 'query' });
    const headerStub = await startStub(headerFixture.respond);
    try {
      const relay = createRelay({ ...headerFixture.options(headerStub.url), log: journal.log });
      for (const route of headerFixture.routes) {
        const seen = await call(journal, relay, route.path, route.init);
        assert.equal(seen.status, 200, `${route.name}: ${seen.text}`);
        route.check(headerStub.requests.at(-1)!);
      }
      const everything = journal.everything();
      for (const secret of headerFixture.secrets()) assert.ok(!everything.includes(secret));
    } finally {
      await headerStub.close();
    }
  });

  it('never shows the secret or a token', () => {
    const everything = journal.everything();
    for (const secret of fixture.secrets()) assert.ok(!everything.includes(secret), `${secret.slice(0, 9)}… leaked`);
  });
});
