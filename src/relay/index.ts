// auth-elements/relay: the server-side relay (DESIGN.md, "The relay"). Runs in any runtime with
// the standard fetch API. The node:http adapter uses no node: import either, so it ships here.
export { createRelay } from './relay.js';
export { createMemoryStore, type MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { createRedisStore, type IoRedisLikeClient, type NodeRedisLikeClient, type RedisStoreOptions } from './redis-store.js';
export { toNodeHandler, type NodeHandlerOptions, type NodeIncomingMessage, type NodeServerResponse } from './node.js';
export type {
  RelayContext,
  RelayCounterHit,
  RelayCounterStore,
  RelayHandler,
  RelayLimits,
  RelayLogEntry,
  RelayOptions,
  RelayProvider,
  RelayRateLimit,
} from './types.js';
