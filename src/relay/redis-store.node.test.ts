// limits.store on a real redis-server (one per file, 127.0.0.1, free port): two relay instances
// share one limit; Redis going down fails closed (or open, by option) with one log line.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import { createRedisStore, createRelay, type IoRedisLikeClient, type RelayLimits, type RelayOptions } from './index.js';
import { tencentFixture } from '../../test/relay/fixtures.js';
import { Journal, call, isRelayError, startStub, type Stub } from '../../test/relay/harness.js';
import { REDIS_INSTALL_COMMAND, findRedisServer, startRedis, type RedisServer } from '../../test/relay/redis.js';

const binary = findRedisServer();
const inCI = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
const MISSING = `redis-server is not installed; to run these tests: ${REDIS_INSTALL_COMMAND}`;

// Reconnect quickly, so a restarted server is found again without waiting long.
const newClient = (port: number) => createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: () => 50 } });
type NodeRedis = ReturnType<typeof newClient>;

if (!binary && inCI) {
  // In CI a missing redis-server is a broken machine, not a reason to skip.
  it('needs redis-server', () => assert.fail(MISSING));
}

describe('createRedisStore', { skip: binary ? false : inCI ? 'see "needs redis-server"' : MISSING }, () => {
  const fixture = tencentFixture();
  let stub: Stub;
  let redis: RedisServer;
  const clients: NodeRedis[] = [];

  /** A connected node-redis client; its errors (Redis going away) are expected here. */
  async function connect(port = redis.port): Promise<NodeRedis> {
    const client = newClient(port);
    client.on('error', () => {});
    clients.push(client);
    await client.connect();
    return client;
  }

  /** The same client seen as ioredis shapes it (`call(command, ...args)`): the store's other call style. */
  const ioredisShaped = (client: NodeRedis): IoRedisLikeClient => ({
    call: (command, ...args) => client.sendCommand([command, ...args]),
  });

  before(async () => {
    stub = await startStub(fixture.respond);
    redis = await startRedis(binary!);
  });
  after(async () => {
    for (const client of clients) if (client.isOpen) client.destroy();
    await redis?.stop();
    await stub?.close();
  });

  const relayWith = (limits: RelayLimits, journal?: Journal) =>
    createRelay({ ...fixture.options(stub.url), limits, ...(journal ? { log: journal.log } : {}) } as RelayOptions);

  it('enforces one limit across two relay instances on one Redis', async () => {
    const journal = new Journal();
    const limits = (store: RelayLimits['store']): RelayLimits => ({ store, sendsPerIdentifier: { max: 3, windowMs: 60_000 }, perClient: { max: 4, windowMs: 60_000 } });
    const one = relayWith(limits(createRedisStore(await connect(), { prefix: 'test-shared:' })), journal);
    const two = relayWith(limits(createRedisStore(ioredisShaped(await connect()), { prefix: 'test-shared:' })), journal);
    const send = fixture.send!('13600001111');
    const sends: number[] = [];
    for (let i = 0; i < 5; i++) sends.push((await call(journal, i % 2 ? two : one, send.path, { ...send.init, clientAddress: `192.0.2.${i + 1}` })).status);
    assert.deepEqual(sends, [200, 200, 200, 429, 429], 'three sends in all, not three per instance');

    const perAddress: number[] = [];
    for (let i = 0; i < 6; i++) {
      const other = fixture.send!(`1360000200${i}`);
      perAddress.push((await call(journal, i % 2 ? two : one, other.path, { ...other.init, clientAddress: '2001:db8:77::1' })).status);
    }
    assert.deepEqual(perAddress, [200, 200, 200, 200, 429, 429], 'four requests per address in all');
  });

  it('shares failed sign-ins, and takes back an accepted one on the other instance’s counter', async () => {
    const journal = new Journal();
    const limits: RelayLimits = { signInsPerIdentifier: { max: 2, windowMs: 60_000 }, perClient: false };
    const one = relayWith({ ...limits, store: createRedisStore(await connect(), { prefix: 'test-signin:' }) }, journal);
    const two = relayWith({ ...limits, store: createRedisStore(ioredisShaped(await connect()), { prefix: 'test-signin:' }) }, journal);
    const good = fixture.signIn('13600003333');
    const bad = fixture.failedSignIn('13600003333');
    for (let i = 0; i < 4; i++) assert.equal((await call(journal, i % 2 ? two : one, good.path, { ...good.init, clientAddress: `192.0.2.${i + 1}` })).status, 200);
    assert.equal((await call(journal, one, bad.path, { ...bad.init, clientAddress: '192.0.2.20' })).status, 400);
    assert.equal((await call(journal, two, bad.path, { ...bad.init, clientAddress: '192.0.2.21' })).status, 400);
    const third = await call(journal, one, good.path, { ...good.init, clientAddress: '192.0.2.22' });
    assert.equal(third.status, 429, 'two failures, one from each instance, reach the shared limit');
  });

  it('fails closed with 503 and one log line when Redis stops, fails open by option, and says when it is back', async () => {
    const own = await startRedis(binary!);
    try {
      const closedLog = new Journal();
      const openLog = new Journal();
      const store = createRedisStore(await connect(own.port), { prefix: 'test-down:' });
      const closed = relayWith({ store, storeTimeoutMs: 300 }, closedLog);
      const open = relayWith({ store, storeTimeoutMs: 300, failOpen: true }, openLog);
      const send = (relay: ReturnType<typeof createRelay>, journal: Journal, n: number) => {
        const s = fixture.send!(`1360000${String(n).padStart(4, '0')}`);
        return call(journal, relay, s.path, { ...s.init, clientAddress: `192.0.2.${n % 250}` });
      };
      assert.equal((await send(closed, closedLog, 1)).status, 200);

      await own.stop();
      const start = stub.requests.length;
      const refused = [await send(closed, closedLog, 2), await send(closed, closedLog, 3), await send(closed, closedLog, 4)];
      for (const seen of refused) {
        assert.equal(seen.status, 503);
        assert.ok(isRelayError(seen, 'service_unavailable'), seen.text);
        assert.ok(Number(seen.headers.get('retry-after')) >= 1);
      }
      assert.equal(stub.requests.length, start, 'nothing went upstream unlimited');
      const lines = closedLog.logs.filter((entry) => entry.message);
      assert.equal(lines.length, 1, 'one line, not one per request');
      assert.match(lines[0]!.message!, /^limits\.store failed \(.+\): sign-ins and sends get 503 until it answers again/);
      assert.equal(lines[0]!.status, 503);

      const through = await send(open, openLog, 5);
      assert.equal(through.status, 200, 'failOpen lets the request through');
      assert.equal(stub.requests.length, start + 1);
      const openLines = openLog.logs.filter((entry) => entry.message);
      assert.equal(openLines.length, 1);
      assert.match(openLines[0]!.message!, /^limits\.store failed \(.+\): rate limits it holds are not enforced until it answers again \(limits\.failOpen\)/);

      // Back on the same port: the client reconnects; wait for the relay to notice.
      const again = await startRedis(binary!, own.port);
      try {
        let n = 10;
        for (;;) {
          const seen = await send(closed, closedLog, n++);
          if (seen.status === 200) break;
          assert.equal(seen.status, 503);
          assert.ok(n < 200, 'the relay never saw Redis again');
        }
        const back = closedLog.logs.filter((entry) => entry.message).at(-1)!;
        assert.equal(back.message, 'limits.store answers again: rate limits are enforced.');
      } finally {
        await again.stop();
      }
    } finally {
      await own.stop();
    }
  });

  it('logs to console.error when the relay has no log option', async (t) => {
    const errors: string[] = [];
    t.mock.method(console, 'error', (line: string) => errors.push(line));
    const dead = await startRedis(binary!);
    const store = createRedisStore(await connect(dead.port), { prefix: 'test-console:' });
    await dead.stop();
    const relay = relayWith({ store, storeTimeoutMs: 200 });
    const send = fixture.send!('13600009999');
    const seen = await call(new Journal(), relay, send.path, send.init);
    assert.equal(seen.status, 503);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^auth-elements relay: limits\.store failed/);
  });

  it('refuses a client it cannot drive', () => {
    assert.throws(() => createRedisStore({} as IoRedisLikeClient), /node-redis .* or ioredis/);
  });
});
