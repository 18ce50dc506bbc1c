// What a signed-in person does with their account beyond signing in (signing out, a new
// password, a verified address), and the emailed links that bring a person back to the page: a reset link (the `recovery` step's new-password stage) and an
// email-verification link (the `verify_email` step), read at start-up like a redirect callback.
import { AuthChangeEvent, AuthError, isAuthError, type Adapter, type AuthResult, type PendingStep, type User } from '../../contract/index.js';
import type { Environment } from '../environment.js';
import type { SignOutOptions } from '../options.js';
import type { ActionOptions, ActionRunner, SignInResult } from '../runner.js';
import type { SessionStore } from '../session-store.js';

export class AccountFlow {
  constructor(
    private readonly adapter: Adapter,
    private readonly runner: ActionRunner,
    private readonly store: SessionStore,
    private readonly env: Environment,
  ) {}

  /** Signs out (AuthClient.signOut, once the client is ready). */
  async signOut(options: SignOutOptions & ActionOptions): Promise<{ error: AuthError | null }> {
    const session = this.store.state.session;
    let redirectUrl: string | undefined;
    let refused: unknown = null;
    if (session && this.adapter.signOut) {
      try {
        ({ redirectUrl } = await this.adapter.signOut(session, { redirectTo: options.redirectTo }, this.runner.context(options)));
      } catch (error) {
        // The backend did not confirm the sign-out; the local session is cleared anyway. Only a
        // sign-out page the adapter refused to send the browser to is worth telling the site.
        if (isAuthError(error) && error.providerCode === 'unsafe_url') refused = error;
      }
    }
    if (this.store.state.session) await this.store.commit({ session: null, event: AuthChangeEvent.SIGNED_OUT, source: options.source, persist: true, notify: true });
    else this.runner.clearStep();
    if (redirectUrl && options.redirectTo) {
      try {
        this.env.navigate(redirectUrl);
      } catch (error) {
        refused = error;
      }
    }
    return { error: refused ? this.runner.fail(refused, null, options.source).error : null };
  }

  /** A backend's emailed link in the address bar becomes its step; the link's parameters are removed. */
  readLink(): void {
    const url = this.env.url();
    if (!url || !this.adapter.linkStep) return;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return;
    }
    const found = this.adapter.linkStep(parsed);
    if (!found) return;
    for (const name of found.params) parsed.searchParams.delete(name);
    this.env.replaceUrl(parsed.toString());
    const origin = found.step.kind === 'recovery' ? 'recovery' : 'account';
    this.store.setPending({ ...found.step, origin } as PendingStep);
  }

  /** Emails the signed-in person a link that confirms their address. */
  sendEmailVerification(options: ActionOptions): Promise<AuthResult<{ target: string | null }>> {
    return this.runner.attempt(options, 'account', { target: null }, async (ctx) => {
      const session = this.store.state.session;
      if (!session) throw new AuthError('session_expired');
      if (!this.adapter.sendEmailVerification || !this.adapter.capabilities.verifyEmail) throw new AuthError('unsupported');
      const { target } = await this.adapter.sendEmailVerification(session, ctx);
      return { target: target ?? session.user.email ?? null };
    }) as Promise<AuthResult<{ target: string | null }>>;
  }

  /**
   * Confirms the address of the pending `verify_email` step. When the person it belongs to is
   * signed in here, their user is updated (USER_UPDATED).
   */
  async verifyEmail(options: ActionOptions): Promise<AuthResult<{ user: Partial<User> | null }>> {
    const pending = this.store.state.pending;
    const result = await this.runner.attempt(options, 'account', { user: null }, async (ctx) => {
      if (pending?.kind !== 'verify_email') throw new AuthError('invalid_request', { providerCode: 'no_pending_step' });
      if (!this.adapter.verifyEmail) throw new AuthError('unsupported');
      const changed = await this.adapter.verifyEmail(pending, ctx);
      if (this.store.state.pending === pending) this.store.setPending(null);
      const session = this.store.state.session;
      if (session && (!changed.id || changed.id === session.user.id)) {
        const user = { ...session.user, ...changed, id: session.user.id };
        await this.store.commit({ session: { ...session, user }, event: AuthChangeEvent.USER_UPDATED, source: options.source, persist: true, notify: true });
      }
      return { user: changed };
    });
    return result as AuthResult<{ user: Partial<User> | null }>;
  }

  /** Changes the signed-in person's password (the backend checks its own rules). */
  updatePassword(passwords: { oldPassword: string; newPassword: string }, options: ActionOptions): Promise<SignInResult> {
    return this.runner.attempt(options, 'account', { session: null, user: null }, async (ctx) => {
      const session = this.store.state.session;
      if (!session) throw new AuthError('session_expired');
      if (!this.adapter.updatePassword || !this.adapter.capabilities.changePassword) throw new AuthError('unsupported');
      if (!passwords?.oldPassword) throw new AuthError('invalid_request', { invalid: { password: 'required' } });
      if (!passwords.newPassword) throw new AuthError('invalid_request', { invalid: { newPassword: 'required' } });
      await this.adapter.updatePassword(session, passwords, ctx);
      const current = this.store.state.session ?? session;
      return { session: current, user: current.user };
    }) as Promise<SignInResult>;
  }
}
