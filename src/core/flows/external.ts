// Sign-in with what a site got elsewhere: a third party's id token, a ticket its own server
// minted, tokens from another client (CloudBase v3's signInWithIdToken, signInWithCustomTicket,
// setSession).
import { AuthError, type Adapter, type AdapterContext, type TokenSet } from '../../contract/index.js';
import { decodeJwt } from '../util/jwt.js';
import { toSession, userFromClaims } from '../util/session.js';
import type { ActionOptions, ActionRunner, SignInResult } from '../runner.js';

export class ExternalFlow {
  constructor(
    private readonly adapter: Adapter,
    private readonly runner: ActionRunner,
  ) {}

  /** Signs in with an id token a third party issued in the page (CloudBase v3's `signInWithIdToken`). */
  signInWithIdToken(params: { provider: string; token: string }, options: ActionOptions): Promise<SignInResult> {
    return this.runner.signIn(options, 'sign_in', (ctx) => {
      if (!this.adapter.signInWithIdToken) throw new AuthError('unsupported');
      if (!params?.provider || !params.token) throw new AuthError('invalid_request', { providerCode: 'missing_token' });
      return this.adapter.signInWithIdToken(params, ctx);
    });
  }

  /** Signs in with a ticket from the site's server (CloudBase `signInWithCustomTicket`). */
  signInWithCustomTicket(getTicket: () => string | Promise<string>, options: ActionOptions): Promise<SignInResult> {
    return this.runner.signIn(options, 'sign_in', async (ctx: AdapterContext) => {
      if (!this.adapter.signInWithCustomTicket) throw new AuthError('unsupported');
      if (typeof getTicket !== 'function') throw new AuthError('invalid_request', { providerCode: 'no_ticket_function' });
      let ticket: unknown;
      try {
        ticket = await getTicket();
      } catch (error) {
        // The site's own server did not hand one out.
        throw new AuthError('server', { providerCode: 'ticket_unavailable', cause: error });
      }
      if (typeof ticket !== 'string' || !ticket.trim()) throw new AuthError('invalid_request', { providerCode: 'no_ticket' });
      return this.adapter.signInWithCustomTicket(ticket.trim(), ctx);
    });
  }

  /** Adopts tokens obtained elsewhere (CloudBase's `setSession`): the user from the backend or the tokens. */
  setSession(tokens: TokenSet & { expires_at?: number }, options: ActionOptions): Promise<SignInResult> {
    return this.runner.signIn(options, 'sign_in', async (ctx) => {
      if (typeof tokens?.access_token !== 'string' || !tokens.access_token) throw new AuthError('invalid_request', { providerCode: 'no_access_token' });
      const claims = decodeJwt(tokens.access_token);
      const set: TokenSet = { ...tokens };
      if (set.expires_in === undefined && typeof claims?.exp === 'number') set.expires_in = claims.exp - Math.floor(Date.now() / 1000);
      if (!set.user && this.adapter.getUser) set.user = await this.adapter.getUser(toSession(set, this.adapter.type), ctx);
      if (!set.user && !userFromClaims(claims) && !(set.id_token && userFromClaims(decodeJwt(set.id_token)))) throw new AuthError('invalid_request', { providerCode: 'unknown_user' });
      return set;
    });
  }
}
