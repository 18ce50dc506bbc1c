// The contract between an emulation and the server core (demo/server/server.ts).
import type { Outbox } from './outbox.js';
import type { Policies } from './policies.js';
import type { Store } from './store.js';
import type { createJwt } from './tokens.js';

export interface BackendContext {
  /** The whole store; an emulation names its collections `<backend>.<name>`. */
  store: Store;
  outbox: Outbox;
  policies: Policies;
  /** Milliseconds; tests move it to reach expiry without waiting. */
  now(): number;
  /** The public URL at which this backend is mounted (no trailing slash), e.g. `http://127.0.0.1:5175/cloudbase`. */
  baseUrl: string;
  jwt: ReturnType<typeof createJwt>;
}

export interface Backend {
  /** Also the mount path: `/cloudbase`, `/tencent-ciam`, … */
  name: string;
  /** Creates the demo accounts when they are missing (idempotent: runs at every start). */
  seed(ctx: BackendContext): Promise<void>;
  /**
   * Answers one request whose URL path has the mount prefix removed (`path`). Returns undefined
   * for a path the backend does not have (the core answers 404 in the backend's style if the
   * emulation gave one through `notFound`, else a plain JSON 404).
   */
  handle(request: Request, path: string, ctx: BackendContext): Promise<Response | undefined>;
  /** Who holds this access token (for the passkey service); null when unknown or expired. */
  introspect?(accessToken: string, ctx: BackendContext): Promise<{ userId: string; name?: string } | null>;
  /**
   * A session for `userId` after a passkey sign-in, as this backend would issue it (tokens that
   * its own `introspect` and refresh accept). Without it the passkey service mints a 5-minute
   * HS256 JWT with `ctx.jwt` (`sub` = userId, no refresh token).
   */
  issueSession?(userId: string, ctx: BackendContext): Promise<TokenBody>;
  /** The backend's own 404 body, when it documents one. */
  notFound?(request: Request, path: string): Response;
  /** Demo accounts, for README and the demo page: what to type, and what state each reaches. */
  accounts: Array<{ identifier: string; password?: string; note: string }>;
}

/** Tokens for a session, with OAuth token-response names (the widget's `TokenSet`). */
export interface TokenBody {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  user?: { id: string; name?: string; [claim: string]: unknown };
}
