// Per-person limits against the attacks that used to sidestep them: a decoy identifier field
// beside the one the backend reads, and other spellings of one phone number or email.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { normalizeAs, normalizePhone } from './backends/identifiers.js';
import { createRelay, type RelayLimits, type RelayOptions } from './index.js';
import { ALIBABA, alibabaFixture, janrainFixture, tencentFixture, zhuyunFixture, type Fixture } from '../../test/relay/fixtures.js';
import { Journal, call, isRelayError, startStub, type CallInit, type Stub } from '../../test/relay/harness.js';

const ONE_SEND: RelayLimits = { sendsPerIdentifier: { max: 1, windowMs: 600_000 }, perClient: false };
const TWO_FAILURES: RelayLimits = { signInsPerIdentifier: { max: 2, windowMs: 600_000 }, perClient: false };

/** Sends each call from its own address and returns the statuses. */
async function statuses(relay: ReturnType<typeof createRelay>, journal: Journal, path: string, inits: CallInit[]): Promise<number[]> {
  const out: number[] = [];
  for (const [i, init] of inits.entries()) out.push((await call(journal, relay, path, { ...init, clientAddress: `198.51.100.${i + 1}` })).status);
  return out;
}

function withStub(make: () => Fixture) {
  const fixture = make();
  const journal = new Journal();
  const state: { stub?: Stub } = {};
  before(async () => {
    state.stub = await startStub(fixture.respond);
  });
  after(() => state.stub?.close());
  return {
    journal,
    relay: (limits: RelayLimits) => createRelay({ ...fixture.options(state.stub!.url), limits } as RelayOptions),
    upstream: () => state.stub!.requests,
  };
}

describe('alibaba-idaas: the key is the field `type` names', () => {
  const t = withStub(alibabaFixture);
  const send = `${ALIBABA}/login/obtain_code`;

  it('counts an EMAIL send against the email, whatever decoy phoneNumber rides along', async () => {
    const relay = t.relay(ONE_SEND);
    const inits = [1, 2, 3].map((i) => ({ json: { type: 'EMAIL', email: 'victim@example.com', phoneNumber: `1390000000${i}` } }));
    assert.deepEqual(await statuses(relay, t.journal, send, inits), [200, 429, 429]);
  });

  it('counts an SMS send against phoneRegion + phoneNumber in E.164, however it is spelled', async () => {
    const relay = t.relay(ONE_SEND);
    const spellings = [
      { phoneRegion: '86', phoneNumber: '13800138000' },
      { phoneNumber: '13800138000' },
      { phoneRegion: '+86', phoneNumber: '138 0013 8000' },
      { phoneRegion: '86', phoneNumber: '+86 138-0013-8000' },
      { phoneRegion: '0086', phoneNumber: '(138)00138000' },
      { phoneRegion: '86', phoneNumber: '8613800138000' },
      { phoneRegion: '86', phoneNumber: '１３８００１３８０００' },
      { phoneRegion: '86', phoneNumber: 13800138000, email: 'decoy@example.com' },
    ];
    const seen = await statuses(relay, t.journal, send, spellings.map((s) => ({ json: { type: 'SMS', ...s } })));
    assert.deepEqual(seen, [200, ...new Array(spellings.length - 1).fill(429)]);
    const otherCountry = await call(t.journal, relay, send, { json: { type: 'SMS', phoneRegion: '852', phoneNumber: '13800138000' }, clientAddress: '198.51.100.99' });
    assert.equal(otherCountry.status, 200, 'the same digits in another country are another person');
  });

  it('counts every contact field present when `type` names none, never none', async () => {
    const relay = t.relay(ONE_SEND);
    const first = await call(t.journal, relay, send, { json: { type: 'VOICE', phoneNumber: '13900001111', email: 'a@example.com' } });
    assert.equal(first.status, 200);
    for (const json of [{ phoneNumber: '13900001111' }, { type: 'EMAIL', email: 'A@Example.com ' }, { type: 'SMS', phoneNumber: '13900001111' }]) {
      const seen = await call(t.journal, relay, send, { json, clientAddress: '198.51.100.77' });
      assert.equal(seen.status, 429, JSON.stringify(json));
    }
  });

  it('refuses an identifier field that is not a string, without calling upstream', async () => {
    const relay = t.relay(ONE_SEND);
    const start = t.upstream().length;
    for (const phoneNumber of [['13800138001', '13800138002'], { n: '13800138001' }, true]) {
      const seen = await call(t.journal, relay, send, { json: { type: 'SMS', phoneNumber } });
      assert.equal(seen.status, 400, JSON.stringify(phoneNumber));
      assert.ok(isRelayError(seen, 'invalid_request'));
    }
    assert.equal(t.upstream().length, start);
  });
});

describe('tencent-ciam: the key is the field the grant names', () => {
  const t = withStub(tencentFixture);
  const grant = (kind: 'sms' | 'email') => `http://tencentciam.com/oauth2/grant-type/otp/${kind}`;

  it('counts an email grant against the email, whatever decoy phone_number rides along', async () => {
    const relay = t.relay(TWO_FAILURES);
    const inits = [1, 2, 3, 4].map((i) => ({
      json: { grant_type: grant('email'), auth_source_id: 'MAIL', email: 'victim@example.com', phone_number: `1390000000${i}`, otp_token: 't', otp: '000000' },
    }));
    assert.deepEqual(await statuses(relay, t.journal, '/oauth2/token', inits), [400, 400, 429, 429]);
  });

  it('counts +86…, 86…, (138)… and spaced spellings of one number as one person', async () => {
    const relay = t.relay(ONE_SEND);
    const spellings = ['13612345678', '+8613612345678', '8613612345678', '+86 136 1234 5678', '(136)1234-5678', '0086 13612345678'];
    const seen = await statuses(relay, t.journal, '/otp/send', spellings.map((phone_number) => ({ json: { usage: 'login', phone_number, auth_source_id: 'SMS' } })));
    assert.deepEqual(seen, [200, 429, 429, 429, 429, 429]);
  });

  it('counts both fields on /otp/send, where the auth source (unseen by the relay) picks one', async () => {
    const relay = t.relay(ONE_SEND);
    const first = await call(t.journal, relay, '/otp/send', { json: { usage: 'login', email: 'Someone@Example.com', phone_number: '13711112222', auth_source_id: 'X' } });
    assert.equal(first.status, 200);
    const byEmail = await call(t.journal, relay, '/otp/send', { json: { usage: 'login', email: 'someone@example.com', auth_source_id: 'X' }, clientAddress: '198.51.100.31' });
    const byPhone = await call(t.journal, relay, '/otp/send', { json: { usage: 'login', phone_number: '+86 137 1111 2222', auth_source_id: 'X' }, clientAddress: '198.51.100.32' });
    assert.deepEqual([byEmail.status, byPhone.status], [429, 429]);
  });
});

describe('janrain: every person field counts, since the flow config picks the field', () => {
  const t = withStub(janrainFixture);
  const base = { client_id: 'login-client', flow: 'standard', flow_version: 'v1', locale: 'en-US', redirect_uri: 'https://app.example.com/cb' };

  it('a decoy signInEmailAddress does not free verify_email_native from the emailAddress limit', async () => {
    const relay = t.relay(ONE_SEND);
    const inits = [1, 2, 3].map((i) => ({ form: { ...base, form: 'resendVerificationForm', emailAddress: 'victim@example.com', signInEmailAddress: `decoy${i}@example.com` } }));
    assert.deepEqual(await statuses(relay, t.journal, '/oauth/verify_email_native', inits), [200, 429, 429]);
  });

  it('nor does a decoy emailAddress beside the signInEmailAddress of Akamai’s own example', async () => {
    const relay = t.relay(ONE_SEND);
    const inits = [1, 2].map((i) => ({ form: { ...base, form: 'resendVerificationForm', signInEmailAddress: 'Victim2@Example.com', emailAddress: `decoy${i}@example.com` } }));
    assert.deepEqual(await statuses(relay, t.journal, '/oauth/verify_email_native', inits), [200, 429]);
  });
});

describe('zhuyun-idaas: the mobile number in E.164', () => {
  const t = withStub(zhuyunFixture);
  it('counts spellings of one mobile number as one person', async () => {
    const relay = t.relay(TWO_FAILURES);
    const inits = ['15200000000', '+86 152 0000 0000', '8615200000000'].map((mobile) => ({ json: { mobile, password: 'wrong' } }));
    assert.deepEqual(await statuses(relay, t.journal, '/api/v2/sdk/login/mobile-pwd', inits), [400, 400, 429]);
  });
});

describe('identifier normalization', () => {
  it('writes phone numbers in E.164 with China as the default country', () => {
    for (const spelling of ['13800138000', '+8613800138000', '8613800138000', '0086-138-0013-8000', '(138) 0013 8000', '+86 (138) 0013.8000']) {
      assert.equal(normalizePhone(spelling), '+8613800138000', spelling);
    }
    assert.equal(normalizePhone('010 1234 5678'), '+861012345678', 'a trunk 0 is dropped');
    assert.equal(normalizePhone('2345 6789', '852'), '+85223456789');
    assert.equal(normalizePhone('not a phone'), undefined);
  });

  it('lower-cases and trims emails; a user name becomes whichever it looks like', () => {
    assert.equal(normalizeAs('email', '  Jane.Doe@Example.COM '), 'jane.doe@example.com');
    assert.equal(normalizeAs('login', 'Jane@Example.com'), 'jane@example.com');
    assert.equal(normalizeAs('login', '+86 138 0013 8000'), '+8613800138000');
    assert.equal(normalizeAs('login', ' Alice '), 'alice');
    assert.equal(normalizeAs('opaque', ' Flow-ABC '), 'Flow-ABC');
  });
});
