// Per-address keys (IPv6 per /64, IPv4-mapped as IPv4) and the in-memory counter store: what a
// flood of addresses can and cannot make the relay forget.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addressKey, forwardedClient } from './address.js';
import { createMemoryStore, createRelay, type RelayOptions } from './index.js';
import { tencentFixture } from '../../test/relay/fixtures.js';
import { ALLOWED_ORIGIN, Journal, call, startStub, type Stub } from '../../test/relay/harness.js';

describe('per-address limits', () => {
  const fixture = tencentFixture();
  let stub: Stub;
  const journal = new Journal();
  before(async () => {
    stub = await startStub(fixture.respond);
  });
  after(() => stub.close());
  const relayWith = (limits?: RelayOptions['limits']) => createRelay({ ...fixture.options(stub.url), limits } as RelayOptions);
  // Refused for its content type after the per-address count, before any upstream call.
  const cheap = (relay: ReturnType<typeof createRelay>, clientAddress: string) =>
    call(journal, relay, '/otp/send', { body: 'x', contentType: 'text/plain', clientAddress });
  // The same without the harness's bookkeeping, for floods.
  const flood = async (relay: ReturnType<typeof createRelay>, count: number, address: (i: number) => string) => {
    const headers = { origin: ALLOWED_ORIGIN, 'content-type': 'text/plain' };
    for (let i = 0; i < count; i++) {
      const response = await relay(new Request('http://relay.test/otp/send', { method: 'POST', headers }), { clientAddress: address(i) });
      assert.equal(response.status, 415);
      // These answers settle in microtasks alone: let timers (keep-alive sockets) run now and then.
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
  };

  it('counts every address of one IPv6 /64 together', async () => {
    const relay = relayWith();
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) seen.push((await cheap(relay, `2001:db8:1234:5678:${((i * 7919) & 0xffff).toString(16)}:${i.toString(16)}:1:${(i + 1).toString(16)}`)).status);
    assert.deepEqual(seen.map((s) => s === 429), [...new Array(30).fill(false), ...new Array(10).fill(true)]);
    assert.equal((await cheap(relay, '2001:db8:1234:5679::1')).status, 415, 'the next /64 is someone else');
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', async () => {
    const relay = relayWith({ perClient: { max: 2, windowMs: 60_000 } });
    const seen = [];
    for (const address of ['198.51.100.5', '::ffff:198.51.100.5', '::ffff:c633:6405', '[::FFFF:198.51.100.5]']) seen.push((await cheap(relay, address)).status);
    assert.deepEqual(seen, [415, 415, 429, 429]);
  });

  it('keeps a phone number’s send limit through a flood of 100,050 addresses', async () => {
    const relay = relayWith();
    const send = fixture.send!('13612340000');
    const sent: number[] = [];
    for (let i = 0; i < 6; i++) sent.push((await call(journal, relay, send.path, { ...send.init, clientAddress: `192.0.2.${i + 1}` })).status);
    assert.deepEqual(sent, [200, 200, 200, 200, 200, 429]);
    await flood(relay, 100_050, (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    const seventh = await call(journal, relay, send.path, { ...send.init, clientAddress: '192.0.2.77' });
    assert.equal(seventh.status, 429, 'the 7th SMS went out');
  });

  it('keeps an enforced window even when one small store holds addresses and identifiers', async () => {
    const relay = relayWith({ store: createMemoryStore({ maxEntries: 1000 }) });
    const send = fixture.send!('13612340001');
    const sent: number[] = [];
    for (let i = 0; i < 6; i++) sent.push((await call(journal, relay, send.path, { ...send.init, clientAddress: `192.0.2.${i + 1}` })).status);
    assert.deepEqual(sent, [200, 200, 200, 200, 200, 429]);
    await flood(relay, 5_000, (i) => `2001:db8:${(i >> 16) & 0xffff}:${i & 0xffff}::1`);
    const seventh = await call(journal, relay, send.path, { ...send.init, clientAddress: '192.0.2.77' });
    assert.equal(seventh.status, 429, 'the 7th SMS went out');
  });
});

describe('createMemoryStore', () => {
  const clock = () => {
    const c = { t: 1_000_000, now: () => c.t };
    return c;
  };

  it('counts fixed windows per key and starts a new window after one ends', async () => {
    const c = clock();
    const store = createMemoryStore({ now: c.now });
    assert.deepEqual(await store.hit('a', 1000, 2), { count: 1, resetAt: 1_001_000 });
    assert.equal((await store.hit('a', 1000, 2)).count, 2);
    assert.equal((await store.hit('b', 1000, 2)).count, 1);
    c.t += 1000;
    assert.deepEqual(await store.hit('a', 1000, 2), { count: 1, resetAt: 1_002_000 });
  });

  it('takes a hit back only in the window it was made in', async () => {
    const c = clock();
    const store = createMemoryStore({ now: c.now });
    const first = await store.hit('k', 1000, 5);
    await store.hit('k', 1000, 5);
    await store.undo('k', first.resetAt);
    assert.equal((await store.hit('k', 1000, 5)).count, 2);
    c.t += 1000;
    await store.hit('k', 1000, 5);
    await store.undo('k', first.resetAt); // an old window's ticket
    assert.equal((await store.hit('k', 1000, 5)).count, 2);
  });

  it('when full, drops windows under their limit but never one at or over it; refuses newcomers if it must', async () => {
    const c = clock();
    const store = createMemoryStore({ maxEntries: 3, now: c.now });
    for (let i = 0; i < 2; i++) await store.hit('victim', 60_000, 2); // at its limit
    await store.hit('other', 60_000, 2);
    for (let i = 0; i < 500; i++) await store.hit(`flood-${i}`, 60_000, 2);
    assert.ok(store.size <= 3);
    assert.equal((await store.hit('victim', 60_000, 2)).count, 3, 'the enforced window survived');
    for (const key of ['held-1', 'held-2']) {
      await store.hit(key, 60_000, 1);
    }
    // victim, held-1, held-2 are all at their limit: a new key is counted as over, not stored.
    const newcomer = await store.hit('newcomer', 60_000, 5);
    assert.ok(newcomer.count > 5);
    assert.equal(store.size, 3);
    c.t += 60_000;
    assert.equal((await store.hit('newcomer', 60_000, 5)).count, 1, 'expired windows make room');
  });
});

describe('client address helpers', () => {
  it('keys IPv6 by /64 and IPv4-mapped addresses as IPv4', () => {
    assert.equal(addressKey('2001:DB8:0:1:ffff::1'), '2001:db8:0:1::/64');
    assert.equal(addressKey('2001:db8::1'), addressKey('2001:db8:0:0:aaaa:bbbb:cccc:dddd'));
    assert.equal(addressKey('::ffff:10.1.2.3'), '10.1.2.3');
    assert.equal(addressKey('::ffff:a01:203'), '10.1.2.3');
    assert.equal(addressKey('10.1.2.3'), '10.1.2.3');
  });

  it('reads the client from the right of X-Forwarded-For, by hop count', () => {
    assert.equal(forwardedClient('6.6.6.6, 203.0.113.9', 1), '203.0.113.9');
    assert.equal(forwardedClient('6.6.6.6, 203.0.113.9, 10.0.0.2', 2), '203.0.113.9');
    assert.equal(forwardedClient('203.0.113.9', 2), '203.0.113.9', 'shorter than the hops: its leftmost entry');
    assert.equal(forwardedClient('6.6.6.6, 203.0.113.9:5555', 1), '203.0.113.9');
    assert.equal(forwardedClient('6.6.6.6, [2001:db8::9]:443', 1), '2001:db8::9');
    assert.equal(forwardedClient('6.6.6.6, not-an-ip', 1), undefined);
    assert.equal(forwardedClient(undefined, 1), undefined);
  });
});
