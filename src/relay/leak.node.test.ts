// The secret filter against a backend that echoes the credential back in the encodings that
// request dumps use: base64 (alone, or inside a larger blob at any byte offset), JSON escapes,
// percent- and form-encoding.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { leaksSecret } from './leak.js';
import { createRelay } from './index.js';
import { tencentFixture } from '../../test/relay/fixtures.js';
import { Journal, SECRET, call, isRelayError, startStub, type Recorded, type Stub } from '../../test/relay/harness.js';

const secret = 'cl1ent/Secret+Value=9~ü';
const bytes = (text: string) => new TextEncoder().encode(text);
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const uEscaped = (text: string) => [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const leaks = (body: string, headers: string[] = []) => leaksSecret(bytes(body), headers, [secret]);

describe('leaksSecret', () => {
  it('finds the secret as it is, JSON-escaped, \\u-escaped and \\/-escaped', () => {
    assert.ok(leaks(`{"echo":"${secret}"}`));
    assert.ok(leaks(JSON.stringify({ echo: secret })));
    assert.ok(leaks(`{"echo":"${uEscaped(secret)}"}`), '\\u00XX for every character');
    assert.ok(leaks(`{"echo":"cl1ent\\u002fSecret\\u002BValue\\u003d9~\\u00fc"}`), 'a few characters escaped');
    assert.ok(leaks(`{"echo":"${secret.replace('/', '\\/')}"}`), '\\/');
    assert.ok(leaks(JSON.stringify({ inner: JSON.stringify({ echo: secret.replace('/', '\\/') }) })), 'JSON in JSON');
  });

  it('finds it percent-encoded and form-encoded, once or twice', () => {
    assert.ok(leaks(`?q=${encodeURIComponent(secret)}`));
    assert.ok(leaks(`?q=${encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())}`), 'lower-case hex');
    assert.ok(leaks(new URLSearchParams({ q: secret }).toString()));
    assert.ok(leaks(encodeURIComponent(encodeURIComponent(secret))));
  });

  it('finds it in base64 and base64url, alone and inside a larger blob at each byte offset', () => {
    assert.ok(leaks(b64(secret)));
    assert.ok(leaks(b64url(secret)));
    for (const before of ['', 'a', 'ab', 'abc', '{"authorization":"Basic ']) {
      const dump = `${before}${secret}","tail":"more bytes"}`;
      assert.ok(leaks(JSON.stringify({ dump: b64(dump) })), `base64, offset ${before.length}`);
      assert.ok(leaks(b64url(dump)), `base64url, offset ${before.length}`);
      assert.ok(leaks(JSON.stringify({ dump: b64(dump).replace(/\//g, '\\/') })), `base64 with \\/, offset ${before.length}`);
      assert.ok(leaks(b64(dump).replace(/.{76}/g, '$&\r\n')), `wrapped base64, offset ${before.length}`);
      assert.ok(leaks('', [`x-echo: ${b64(dump)}`]), `in a header, offset ${before.length}`);
    }
  });

  it('passes answers that do not carry it', () => {
    assert.ok(!leaks(JSON.stringify({ access_token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJl', note: secret.slice(0, -3) })));
    assert.ok(!leaks(b64(`${secret.slice(0, 10)}…${secret.slice(12)}`)));
    assert.ok(!leaksSecret(bytes('abc'), [], ['abc']), 'secrets under 6 characters are not searched for');
  });
});

describe('the relay withholds an echo of its credential in any encoding', () => {
  const fixture = tencentFixture();
  let stub: Stub;
  const journal = new Journal();
  before(async () => {
    stub = await startStub(fixture.respond);
  });
  after(() => stub.close());
  const dump = (req: Recorded) => JSON.stringify({ method: req.method, headers: req.headers, body: req.body });
  const encodings: Record<string, (req: Recorded) => unknown> = {
    'base64 of the request dump': (req) => ({ debug: b64(dump(req)) }),
    'base64url of the dump after a prefix': (req) => ({ debug: b64url(`x${dump(req)}`) }),
    'base64 of the dump after two bytes': (req) => ({ debug: b64(`xy${dump(req)}`) }),
    'the Basic credential, base64-decoded': (req) => ({ debug: Buffer.from(String(req.headers.authorization).slice(6), 'base64').toString('utf8') }),
    'the secret, base64': () => ({ debug: b64(SECRET) }),
    'the secret, \\u-escaped': () => `{"debug":"${uEscaped(SECRET)}"}`,
    'base64 of the dump, \\/-escaped as PHP’s json_encode writes it': (req) => `{"debug":"${b64(`ab${dump(req)}`).replace(/\//g, '\\/')}"}`,
    'the secret, percent-encoded': () => ({ debug: [...SECRET].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('') }),
  };

  for (const [name, encode] of Object.entries(encodings)) {
    it(name, async () => {
      const relay = createRelay({ ...fixture.options(stub.url), log: journal.log });
      stub.override = (req, res) => {
        const body = encode(req);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      };
      try {
        const seen = await call(journal, relay, '/otp/send', { json: { usage: 'login', phone_number: `1360000${String(Object.keys(encodings).indexOf(name)).padStart(4, '0')}`, auth_source_id: 'S' } });
        assert.equal(seen.status, 502, seen.text);
        assert.ok(isRelayError(seen, 'bad_gateway'));
      } finally {
        stub.override = undefined;
      }
    });
  }
});
