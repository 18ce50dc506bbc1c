// Redirect sign-in (authorization code + PKCE, `state` and `nonce`): the start, and the
// completion when the browser comes back, whether or not an element is on that page.
import { AuthChangeEvent, AuthError, isSecretName, type Adapter, type CodeExchange } from '../../contract/index.js';
import type { Environment } from '../environment.js';
import { decodeJwt } from '../util/jwt.js';
import { navigableUrl } from '../util/url.js';
import { OAuthStateStore } from '../oauth-state.js';
import { callbackParams } from '../return-url.js';
import { createPkce, randomString } from '../util/pkce.js';
import type { StorageAdapter } from '../storage.js';
import type { ActionOptions, ActionRunner, SignInResult } from '../runner.js';
import type { AuthResult } from '../../contract/index.js';

const CALLBACK_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri', 'session_state', 'iss'];

export interface OAuthSignInParams {
  /** The third-party source (`wechat`, `github`…) for backends that have several. */
  provider?: string;
  options?: {
    redirectTo?: string;
    scopes?: string;
    queryParams?: Record<string, string>;
    /** Return the URL without navigating (for a popup or a test). */
    skipBrowserRedirect?: boolean;
  };
}

/** A completed return: its result, and the event it was announced with (or will be, at start-up). */
export interface Completion {
  result: SignInResult;
  event: AuthChangeEvent;
}

/** Ends a `linkIdentity` return (the account flow binds the source to the person signed in). */
export type Linker = (exchange: CodeExchange, options: ActionOptions, announce: boolean) => Promise<SignInResult>;

export class OAuthFlow {
  #states: OAuthStateStore;

  constructor(
    private readonly adapter: Adapter,
    private readonly runner: ActionRunner,
    private readonly env: Environment,
    storage: StorageAdapter,
    namespace: string,
    private readonly link?: Linker,
  ) {
    this.#states = new OAuthStateStore(storage, `${namespace}:oauth`);
  }

  /** Starts a redirect; `link`: its return binds the source to the person signed in (linkIdentity). */
  async start(params: OAuthSignInParams, options: ActionOptions, purpose: 'sign_in' | 'link' = 'sign_in'): Promise<AuthResult<{ url: string; provider: string }>> {
    const empty = { url: null, provider: null };
    try {
      if (this.adapter.load) await this.adapter.load();
      this.runner.checkConfig();
      // A server credential never goes into an address the browser shows and sends on.
      if (Object.keys(params.options?.queryParams ?? {}).some(isSecretName)) throw new AuthError('config', { providerCode: 'secret_in_browser' });
      if (!this.adapter.authorizationUrl) throw new AuthError('unsupported');
      const redirectUri = params.options?.redirectTo ?? this.adapter.redirectUri ?? pageUrlWithoutCallback(this.env.url());
      if (!redirectUri) throw new AuthError('config', { providerCode: 'no_redirect_uri' });
      const pkce = await createPkce();
      const pending = { state: randomString(), nonce: randomString(), verifier: pkce.verifier, redirectUri, source: params.provider, ...(purpose === 'link' ? { purpose } : {}), createdAt: Date.now() };
      const url = navigableUrl(await this.adapter.authorizationUrl(
        { state: pending.state, nonce: pending.nonce, codeChallenge: pkce.challenge, codeChallengeMethod: 'S256', redirectUri, source: params.provider, scopes: params.options?.scopes, queryParams: params.options?.queryParams },
        this.runner.context(options),
      ));
      await this.#states.add(pending);
      if (!params.options?.skipBrowserRedirect) this.env.navigate(url);
      return { data: { url, provider: params.provider ?? this.adapter.type }, error: null };
    } catch (error) {
      return this.runner.fail(error, empty, options.source);
    }
  }

  /**
   * Completes a callback URL; `undefined` when the URL is not a callback of this client (and
   * `explicit` is false). A missing, tampered or replayed `state` is refused.
   */
  async complete(url: string, explicit: boolean, options: ActionOptions, announce = true): Promise<Completion | undefined> {
    const params = callbackParams(url);
    if (!params) return undefined;
    // This page is the popup of a sign-in: the page that opened it completes the sign-in (popup.ts).
    if (!explicit && (await this.env.handBack?.(url))) {
      if (this.env.url() === url) this.env.replaceUrl(pageUrlWithoutCallback(url)!);
      return undefined;
    }
    const lookup = await this.#states.take(params.get('state'));
    if (lookup.kind === 'foreign' && !explicit) return undefined;
    if (this.env.url() === url) this.env.replaceUrl(pageUrlWithoutCallback(url)!);
    const empty = { session: null, user: null };
    const failed = (error: AuthError): Completion => ({ result: this.runner.fail(error, empty, options.source), event: AuthChangeEvent.SIGNED_IN });
    if (lookup.kind === 'replayed') return failed(new AuthError('invalid_request', { providerCode: 'state_replayed' }));
    if (lookup.kind !== 'ok') return failed(new AuthError('invalid_request', { providerCode: 'state_mismatch' }));
    if (params.has('error')) {
      const code = params.get('error')!;
      return failed(new AuthError(code === 'access_denied' ? 'cancelled' : 'invalid_request', { providerCode: code }));
    }
    const { pending } = lookup;
    const exchange: CodeExchange = { code: params.get('code')!, codeVerifier: pending.verifier, redirectUri: pending.redirectUri, source: pending.source, params };
    if (pending.purpose === 'link') {
      if (!this.link) return failed(new AuthError('unsupported'));
      return { result: await this.link(exchange, options, announce), event: AuthChangeEvent.BIND_IDENTITY };
    }
    const result = await this.runner.signIn(options, 'oauth', async (ctx) => {
      if (!this.adapter.exchangeCode) throw new AuthError('unsupported');
      const tokens = await this.adapter.exchangeCode(exchange, ctx);
      if (this.adapter.checksNonce && tokens.id_token && decodeJwt(tokens.id_token)?.nonce !== pending.nonce) {
        throw new AuthError('invalid_request', { providerCode: 'nonce_mismatch' });
      }
      return tokens;
    }, announce);
    return { result, event: AuthChangeEvent.SIGNED_IN };
  }
}

/** The page URL with the callback parameters removed. */
export function pageUrlWithoutCallback(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    for (const name of CALLBACK_PARAMS) parsed.searchParams.delete(name);
    return parsed.toString();
  } catch {
    return undefined;
  }
}
