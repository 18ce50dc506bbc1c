// A counter store in Redis, so that several relay instances enforce one limit. It takes a client
// the site has already connected and imports no Redis package: the client is recognised by the
// one method it needs to send a raw command (node-redis: sendCommand; ioredis: call).
import type { RelayCounterHit, RelayCounterStore } from './types.js';

/** The shape of a connected node-redis (v4 and later) client that the store uses. */
export interface NodeRedisLikeClient {
  sendCommand(args: string[]): Promise<unknown>;
}

/** The shape of a connected ioredis client that the store uses. */
export interface IoRedisLikeClient {
  call(command: string, ...args: string[]): Promise<unknown>;
}

export interface RedisStoreOptions {
  /** Prefix of every key the store writes. Default `'auth-elements:relay:'`. */
  prefix?: string;
}

// One window is a hash { c: count, r: its end in ms }, expiring with the window. Counting and
// opening a window happen in one script, so no instance sees a key without its expiry; `r`
// names the window, so an undo never reaches into the window after it.
const HIT = `local c = redis.call('HINCRBY', KEYS[1], 'c', 1)
local r = redis.call('HGET', KEYS[1], 'r')
if c == 1 or not r or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('HSET', KEYS[1], 'c', c, 'r', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  r = ARGV[2]
end
return {c, r}`;

const UNDO = `if redis.call('HGET', KEYS[1], 'r') == ARGV[1] and tonumber(redis.call('HGET', KEYS[1], 'c')) > 0 then
  redis.call('HINCRBY', KEYS[1], 'c', -1)
end
return 0`;

/**
 * A `RelayCounterStore` in Redis for `limits.store`. Pass a client you have connected (and whose
 * `error` events you handle): node-redis v4+ (`createClient()`) or ioredis (`new Redis()`),
 * single-node or through a proxy; a cluster client is not supported. Each count is one `EVAL`
 * of a short Lua script (`HINCRBY` + `PEXPIRE`, atomic); keys expire with their window.
 *
 * If Redis is down or slower than `limits.storeTimeoutMs`, the relay answers 503 (or lets the
 * request through with `limits.failOpen: true`) and logs one line.
 *
 * @example
 * import { createClient } from 'redis';
 * const redis = await createClient({ url: process.env.REDIS_URL }).on('error', console.error).connect();
 * const relay = createRelay({ ...options, limits: { store: createRedisStore(redis) } });
 */
export function createRedisStore(client: NodeRedisLikeClient | IoRedisLikeClient, options: RedisStoreOptions = {}): RelayCounterStore {
  const send = commandSender(client);
  const prefix = options.prefix ?? 'auth-elements:relay:';
  if (typeof prefix !== 'string') throw new TypeError('createRedisStore: prefix must be a string.');

  return {
    async hit(key: string, windowMs: number): Promise<RelayCounterHit> {
      const ttl = Math.max(1, Math.ceil(windowMs));
      const reply = await send(['EVAL', HIT, '1', `${prefix}${key}`, String(ttl), String(Date.now() + ttl)]);
      if (!Array.isArray(reply) || reply.length !== 2) throw new Error('createRedisStore: unexpected reply from Redis.');
      const count = Number(reply[0]);
      const resetAt = Number(reply[1]);
      if (!Number.isFinite(count) || !Number.isFinite(resetAt)) throw new Error('createRedisStore: unexpected reply from Redis.');
      return { count, resetAt };
    },
    async undo(key: string, resetAt: number): Promise<void> {
      await send(['EVAL', UNDO, '1', `${prefix}${key}`, String(resetAt)]);
    },
  };
}

/** The client's way of sending a raw command, found by duck typing (ioredis first: it has both). */
function commandSender(client: unknown): (args: string[]) => Promise<unknown> {
  const c = client as Partial<NodeRedisLikeClient & IoRedisLikeClient> | null | undefined;
  if (c && typeof c.call === 'function') return (args) => c.call!(args[0]!, ...args.slice(1));
  if (c && typeof c.sendCommand === 'function') return (args) => c.sendCommand!(args);
  throw new TypeError('createRedisStore: pass a connected Redis client: node-redis (createClient(), v4+) or ioredis (new Redis()).');
}
