// The toolkit every backend emulation of the reference server is written against. An emulation
// is a plain fetch handler over standard Request/Response plus a seed function; the server core
// (demo/server/server.ts) mounts it under a path prefix, adds CORS, fault injection, the outbox
// endpoint and persistence. Keep emulations free of node:http details. The policies (lock-out,
// send interval, one-time codes) are shared; each emulation gives them its backend's numbers.
export type { Backend, BackendContext, TokenBody } from './backend.js';
export { createManualClock, type ManualClock, type Now } from './clock.js';
export { createCodeIssuer, createSendInterval, type CodeCheck, type CodeIssuer, type CodeIssuerOptions, type IssueResult, type IssuedCode, type SendInterval, type SendRecord } from './codes.js';
export { bearerToken, escapeHtml, json, readForm, readJson, redirect, withParams } from './http.js';
export { createLockout, type Lockout, type LockoutOptions, type LockoutRecord, type LockoutState } from './lockout.js';
export { createOutbox, type Outbox, type OutboxMessage } from './outbox.js';
export { contextCodeIssuer, contextLockout, defaultPolicies, type Policies } from './policies.js';
export { createStore, type Collection, type Store } from './store.js';
export { createJwt, hashPassword, randomCode, randomToken, sha256, verifyNoPassword, verifyPassword } from './tokens.js';
