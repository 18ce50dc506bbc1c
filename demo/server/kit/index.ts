// The toolkit every backend emulation of the reference server is written against. An emulation
// is a plain fetch handler over standard Request/Response plus a seed function; the server core
// (demo/server/server.ts) mounts it under a path prefix, adds CORS, fault injection, the outbox
// endpoint and persistence. Keep emulations free of node:http details.
export type { Backend, BackendContext, TokenBody } from './backend.js';
export { json, readForm, readJson } from './http.js';
export { createOutbox, type Outbox, type OutboxMessage } from './outbox.js';
export { defaultPolicies, type Policies } from './policies.js';
export { createStore, type Collection, type Store } from './store.js';
export { createJwt, hashPassword, randomCode, randomToken, verifyPassword } from './tokens.js';
