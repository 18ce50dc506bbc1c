// The signed-in person's account, CloudBase v3's names (DESIGN.md "Account and recovery"):
// updateUser (a new email or phone waits in a `verify_contact` step for its code), a new
// password, linkIdentity (a redirect round trip that binds the source to this person on return)
// and unlinkIdentity; the address an emailed link confirms (`verify_email`). What the backend
// can do is in `capabilities.account` and `capabilities.verifyEmail`; `<auth-profile>` reads
// them. Signing out and reading the emailed links at start-up are the session core's
// (core/session-end.ts, core/links.ts): they need no flow.
import { AuthChangeEvent, AuthError, type Adapter, type AuthResult, type CodeExchange, type PendingStep, type Session, type User, type UserAttributes } from '../../contract/index.js';
import type { OAuthSignInParams } from './oauth.js';
import { stepMarker, type ActionOptions, type ActionRunner, type SignInResult, type StepResult } from '../runner.js';
import type { SessionStore } from '../session-store.js';

export type UserResult = StepResult<{ user: User }>;

const EMPTY_USER = { user: null };

export class AccountFlow {
  constructor(
    private readonly adapter: Adapter,
    private readonly runner: ActionRunner,
    private readonly store: SessionStore,
  ) {}

  /**
   * Changes the signed-in person's profile (emits USER_UPDATED). A new email or phone first
   * gets a code: the result is then a `verify_contact` step, answered with `verifyContact`.
   */
  updateUser(attributes: UserAttributes, options: ActionOptions): Promise<UserResult> {
    return this.runner.attempt(options, 'profile', EMPTY_USER, async (ctx) => {
      const session = this.#session();
      if (!this.adapter.updateUser) throw new AuthError('unsupported');
      const given = Object.entries(attributes ?? {}).filter(([, value]) => typeof value === 'string' && value.trim() !== '');
      if (!given.length) throw new AuthError('invalid_request', { providerCode: 'nothing_to_update' });
      const { user, step } = await this.adapter.updateUser(session, Object.fromEntries(given), ctx);
      if (user) await this.#commit(session, user, AuthChangeEvent.USER_UPDATED, options);
      if (!step) return { user: this.store.state.user ?? session.user };
      const pending: PendingStep = { ...step, origin: 'profile' };
      this.store.setPending(pending);
      return stepMarker(pending);
    });
  }

  /** Completes a `verify_contact` step with the code sent to the new email or phone (emits USER_UPDATED). */
  async verifyContact(params: { code: string }, options: ActionOptions): Promise<UserResult> {
    const pending = this.store.state.pending;
    return this.runner.attempt(options, 'profile', EMPTY_USER, async (ctx) => {
      if (pending?.kind !== 'verify_contact') throw new AuthError('invalid_request', { providerCode: 'no_pending_step' });
      const session = this.#session();
      if (!this.adapter.verifyContact) throw new AuthError('unsupported');
      const code = params?.code?.replace(/\s/g, '');
      if (!code) throw new AuthError('invalid_code', { invalid: { code: 'required' } });
      const user = await this.adapter.verifyContact(session, pending, code, ctx);
      if (this.store.state.pending === pending) this.store.setPending(null);
      await this.#commit(session, user, AuthChangeEvent.USER_UPDATED, options);
      return { user };
    });
  }

  /** Starts `linkIdentity`'s redirect (`start` is the OAuth flow's, with the link purpose). */
  linkIdentity(params: { provider: string; options?: OAuthSignInParams['options'] }, options: ActionOptions, start: (params: OAuthSignInParams, options: ActionOptions) => Promise<AuthResult<{ url: string; provider: string }>>): Promise<AuthResult<{ url: string; provider: string }>> {
    const refused = !this.store.state.session ? new AuthError('session_expired', { providerCode: 'not_signed_in' }) : !this.adapter.bindIdentity ? new AuthError('unsupported') : !params?.provider ? new AuthError('invalid_request', { providerCode: 'missing_provider' }) : null;
    if (refused) return Promise.resolve(this.runner.fail(refused, { url: null, provider: null }, options.source));
    return start(params, options);
  }

  /** Unbinds a third-party source from the signed-in person (emits BIND_IDENTITY). */
  unlinkIdentity(params: { provider: string }, options: ActionOptions): Promise<UserResult> {
    return this.runner.attempt(options, 'profile', EMPTY_USER, async (ctx) => {
      const session = this.#session();
      if (!this.adapter.unlinkIdentity) throw new AuthError('unsupported');
      if (!params?.provider) throw new AuthError('invalid_request', { providerCode: 'missing_provider' });
      const user = await this.adapter.unlinkIdentity(session, params.provider, ctx);
      await this.#commit(session, user, AuthChangeEvent.BIND_IDENTITY, options);
      return { user };
    });
  }

  /**
   * Ends `linkIdentity` on return from the third party: binds the source to the person signed
   * in (read from storage when the page has just loaded) and emits BIND_IDENTITY when `announce`.
   */
  completeLink(exchange: CodeExchange, options: ActionOptions, announce: boolean): Promise<SignInResult> {
    return this.runner.attempt(options, 'oauth', { session: null, user: null }, async (ctx) => {
      const session = this.store.state.session ?? (await this.store.slot.read());
      if (!session) throw new AuthError('session_expired', { providerCode: 'not_signed_in' });
      if (!this.adapter.bindIdentity) throw new AuthError('unsupported');
      const user = await this.adapter.bindIdentity(session, exchange, ctx);
      const next = await this.#commit(session, user, AuthChangeEvent.BIND_IDENTITY, options, announce);
      return { session: next, user };
    });
  }

  /** The user of `session`, read again from the backend where it can tell; USER_UPDATED when it changed. */
  async readUser(session: Session, options: ActionOptions): Promise<AuthResult<{ user: User }>> {
    if (!this.adapter.getUser) return { data: { user: session.user }, error: null };
    const generation = this.store.generation;
    try {
      const user = await this.adapter.getUser(session, this.runner.context(options));
      const current = this.store.state.session;
      if (generation === this.store.generation && current && JSON.stringify(user) !== JSON.stringify(current.user)) {
        await this.store.commit({ session: { ...current, user }, event: AuthChangeEvent.USER_UPDATED, source: options.source, persist: true, notify: true });
      }
      return { data: { user }, error: null };
    } catch (error) {
      return this.runner.fail(error, { user: null }, options.source);
    }
  }

  /** Emails the signed-in person a link that confirms their address. */
  sendEmailVerification(options: ActionOptions): Promise<AuthResult<{ target: string | null }>> {
    return this.runner.attempt(options, 'account', { target: null }, async (ctx) => {
      const session = this.#session();
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
      const session = this.#session();
      if (!this.adapter.updatePassword || !this.adapter.capabilities.account?.password) throw new AuthError('unsupported');
      if (!passwords?.oldPassword) throw new AuthError('invalid_request', { invalid: { password: 'required' } });
      if (!passwords.newPassword) throw new AuthError('invalid_request', { invalid: { newPassword: 'required' } });
      await this.adapter.updatePassword(session, passwords, ctx);
      const current = this.store.state.session ?? session;
      return { session: current, user: current.user };
    }) as Promise<SignInResult>;
  }

  #session(): Session {
    const session = this.store.state.session;
    if (!session) throw new AuthError('session_expired', { providerCode: 'not_signed_in' });
    return session;
  }

  /** The same session with the changed user, unless someone else signed in meanwhile. */
  async #commit(session: Session, user: User, event: AuthChangeEvent, options: ActionOptions, notify = true): Promise<Session> {
    const current = this.store.state.session ?? session;
    if (current.user.id !== session.user.id) throw new AuthError('session_expired', { providerCode: 'person_changed' });
    const next = { ...current, user };
    await this.store.commit({ session: next, event, source: options.source, persist: true, notify });
    return next;
  }
}
