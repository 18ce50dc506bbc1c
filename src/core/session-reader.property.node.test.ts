// Property tests (fast-check) over what the client reads back: the stored session (isSession,
// StoredValue), the OAuth state record, and the words of an error made from any parameters.
// Whatever is in storage — another version's format, a tampered value, garbage — reading it
// never throws, and never yields a session without an access token.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { fakeAdapter } from '../../test/support/fake-adapter.js';
import { testEnvironment } from '../../test/support/environment.js';
import { AuthError, AuthErrorCode, BackendType } from '../contract/index.js';
import { localizeError } from '../i18n/index.js';
import { AuthClient } from './client.js';
import { OAuthStateStore } from './oauth-state.js';
import { memoryStorage, StoredValue } from './storage.js';
import { isSession } from './util/session.js';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

const value = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', 'oidc', 'cloudbase', 'constructor', '__proto__'));
/** Objects shaped almost like a session: each field present or not, of any type. */
const sessionLike = fc.record(
  {
    access_token: value, token_type: value, expires_in: value, expires_at: value, refresh_token: value, id_token: value,
    provider: fc.oneof(value, fc.constantFrom(...Object.keys(BackendType))),
    user: fc.oneof(value, fc.record({ id: value, name: value }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const stored = fc.oneof(sessionLike.map((s) => JSON.stringify(s)), fc.string(), fc.jsonValue().map((v) => JSON.stringify(v) ?? ''), sessionLike.map((s) => JSON.stringify(s).slice(0, -2)));

function wellFormedSession(session: unknown): void {
  if (session === null) return;
  assert.ok(isSession(session), 'not a session');
  assert.equal(typeof session.access_token, 'string');
  assert.ok(session.access_token.length > 0, 'a session without a token');
  assert.equal(typeof session.user.id, 'string');
}

describe('the stored-session reader (fast-check)', () => {
  test('isSession never throws; what it accepts has a token, a user id and a known provider', () => {
    fc.assert(
      fc.property(fc.oneof(sessionLike, fc.anything()), (candidate) => {
        if (!isSession(candidate)) return;
        assert.ok(typeof candidate.access_token === 'string' && candidate.access_token.length > 0);
        assert.equal(typeof candidate.user.id, 'string');
        assert.ok(Object.hasOwn(BackendType, candidate.provider));
      }),
      { numRuns: RUNS * 5 },
    );
  });

  test('StoredValue.parse never throws and yields a session or null', () => {
    const slot = new StoredValue(memoryStorage(), 'k', isSession);
    fc.assert(fc.property(stored, (raw) => wellFormedSession(slot.parse(raw))), { numRuns: RUNS * 5 });
  });

  test('a client starting from any stored value never throws and holds a session with a token or none', async () => {
    await fc.assert(
      fc.asyncProperty(stored, async (raw) => {
        const provider = fakeAdapter({ key: 'oidc:reader' });
        const storage = memoryStorage();
        storage.setItem(`auth-elements:${provider.key}:session`, raw);
        const client = new AuthClient({ provider, storage, environment: testEnvironment('https://app.example/'), autoRefresh: false });
        try {
          await client.ready;
          wellFormedSession(client.state.session);
          const { data, error } = await client.getSession();
          assert.ok(error === null || error instanceof AuthError);
          wellFormedSession(data.session);
        } finally {
          client.destroy();
        }
      }),
      { numRuns: RUNS },
    );
  });

  test('the OAuth state record: any stored value, then a callback, never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(stored, fc.jsonValue().map((v) => JSON.stringify({ pending: v, used: v }))), fc.option(fc.string({ maxLength: 12 }), { nil: null }), async (raw, state) => {
        const storage = memoryStorage();
        storage.setItem('k', raw);
        const states = new OAuthStateStore(storage, 'k');
        const lookup = await states.take(state);
        assert.ok(['ok', 'foreign', 'replayed', 'mismatch'].includes(lookup.kind));
        assert.notEqual(lookup.kind, 'ok', 'a state that was never started');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('error words from any parameters (fast-check)', () => {
  // Every code, and codes a custom adapter could make up.
  const codes = [...Object.values(AuthErrorCode), 'constructor', 'toString', 'made_up'] as AuthErrorCode[];
  test('localizeError never throws and its words are plain strings', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        fc.constantFrom('en', 'zh-CN'),
        fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('constructor', '__proto__', 'toString', 'newPassword')), fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'required', 'pattern'))),
        fc.record({ tip: fc.string(), minLength: fc.oneof(fc.integer(), fc.double()), maxLength: fc.integer() }, { requiredKeys: [] }),
        fc.oneof(fc.integer(), fc.double(), fc.constant(undefined)),
        fc.oneof(fc.integer(), fc.double(), fc.constant(undefined)),
        (code, lang, invalid, policy, retryAfter, remainingAttempts) => {
          const error = new AuthError(code, { invalid: invalid as never, policy, retryAfter, remainingAttempts, lockedUntil: retryAfter });
          const worded = localizeError(lang, error);
          assert.equal(typeof worded.message, 'string');
          for (const text of Object.values(worded.fields ?? {})) assert.equal(typeof text, 'string');
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
