// The signed-in person's account and password recovery, as `@cloudbase/js-sdk` 3.7 does them
// (PROVIDERS.md §6.2): updateUser (`/user/basic/edit`; a new email or phone after a code sent
// with the person's token), linkIdentity's end (`/user/provider/bind`), unlinkIdentity (DELETE
// `/user/provider/{id}`) and resetPasswordForEmail (`/verification` → verify → `/reset`).
import { AuthError, isAuthError, type Adapter, type AdapterContext, type CodeExchange, type RecoveryRequest, type Session, type StepRequest, type User, type UserAttributes } from '../../contract/index.js';
import type { CloudbaseApi } from './api.js';
import { cloudbasePhone } from './phone.js';
import { sendCode, verifyCode, type VerificationContext } from './verification.js';

type Step<K extends StepRequest['kind']> = Extract<StepRequest, { kind: K }>;

export interface AccountHelpers {
  grantProviderToken(providerId: string, exchange: CodeExchange, ctx: AdapterContext): Promise<string>;
  source(requested: string | undefined): string;
  /** Whether SMS codes work here (Shanghai): a phone can be changed or recovered. */
  phone: boolean;
}

/** The profile fields `/user/basic/edit` is given as they are. */
const PROFILE = ['name', 'picture', 'username', 'gender'] as const;

type AccountMethods = Required<Pick<Adapter, 'startRecovery' | 'verifyRecovery' | 'completeRecovery' | 'updateUser' | 'verifyContact' | 'bindIdentity' | 'unlinkIdentity'>>;

export function accountMethods(api: CloudbaseApi, helpers: AccountHelpers): AccountMethods {
  /** After a change the SDK reads `/user/me` (its User.refresh): so do we. */
  const me = (session: Session, ctx: AdapterContext) => api.me(session.access_token, ctx);

  return {
    async startRecovery(request: RecoveryRequest, ctx): Promise<Step<'recovery'>> {
      const channel = request.email?.trim() ? 'email' : request.phone?.trim() && helpers.phone ? 'sms' : null;
      if (!channel) throw new AuthError('invalid_request', { invalid: { identifier: 'required' } });
      let sent: { expiresIn?: number; context: VerificationContext };
      try {
        sent = await sendCode(api, request, channel, { target: 'USER', usage: 'recovery' }, ctx);
      } catch (error) {
        // A reset never says whether the account exists (DESIGN.md): the SDK would hand the
        // failed_precondition "user not found" back; we carry on as if a code went out.
        if (!isAuthError(error) || error.code !== 'user_not_found') throw error;
        const to = channel === 'sms' ? { phone_number: cloudbasePhone(request.phone!) } : { email: request.email!.trim() };
        sent = { context: { verificationId: null, isUser: true, channel, ...to } };
      }
      return { kind: 'recovery', stage: 'verify', delivery: 'code', channel, ...(sent.expiresIn ? { expiresIn: sent.expiresIn } : {}), context: sent.context };
    },

    async verifyRecovery(step, code, ctx) {
      const c = step.context as VerificationContext;
      // No code was sent (unknown account): any code is simply wrong.
      if (!c?.verificationId) throw new AuthError('invalid_code', { providerCode: 'no_verification' });
      const verificationToken = await verifyCode(api, c.verificationId, code, ctx);
      return { ...step, stage: 'new_password', context: { ...c, verificationToken } };
    },

    async completeRecovery(step, newPassword, ctx) {
      const c = step.context as VerificationContext;
      if (!c?.verificationToken) throw new AuthError('code_expired', { providerCode: 'no_verification' });
      // `/reset` takes the contact the code went to; the SDK then signs in with the new password (null: the client does).
      const contact = c.phone_number ? { phone_number: c.phone_number } : { email: c.email };
      await api.call('/reset', { body: { ...contact, new_password: newPassword, verification_token: c.verificationToken } }, ctx);
      return null;
    },

    async updateUser(session: Session, attributes: UserAttributes, ctx) {
      const profile = Object.fromEntries(PROFILE.filter((key) => typeof attributes[key] === 'string').map((key) => [key, attributes[key]!]));
      const email = attributes.email?.trim();
      const phone = attributes.phone?.trim();
      let step: Step<'verify_contact'> | undefined;
      // As the SDK: the code goes out first (to the email when both are given), the rest is saved at once.
      if (email || phone) {
        if (!email && !helpers.phone) throw new AuthError('unsupported');
        const channel = email ? 'email' : 'sms';
        const sent = await sendCode(api, { email, phone }, channel, { usage: 'reauthentication', bearer: session.access_token }, ctx);
        step = { kind: 'verify_contact', channel, target: sent.context.email ?? sent.context.phone_number!, ...(sent.expiresIn ? { expiresIn: sent.expiresIn } : {}), context: sent.context };
      }
      if (!Object.keys(profile).length) return step ? { step } : {};
      await api.call('/user/basic/edit', { body: profile, bearer: session.access_token }, ctx);
      return { user: await me(session, ctx), ...(step ? { step } : {}) };
    },

    async verifyContact(session, step, code, ctx): Promise<User> {
      const c = step.context as VerificationContext;
      if (!c?.verificationId) throw new AuthError('code_expired', { providerCode: 'no_verification' });
      c.verificationToken ??= await verifyCode(api, c.verificationId, code, ctx);
      // [C] the new contact alone, phone as "+86 …" under the name `phone`.
      await api.call('/user/basic/edit', { body: c.email ? { email: c.email } : { phone: c.phone_number }, bearer: session.access_token }, ctx);
      return me(session, ctx);
    },

    async bindIdentity(session, exchange, ctx) {
      const providerToken = await helpers.grantProviderToken(helpers.source(exchange.source), exchange, ctx);
      await api.call('/user/provider/bind', { body: { provider_token: providerToken }, bearer: session.access_token, grant: 'code' }, ctx);
      // Not in the SDK, which leaves its user stale: the session's user lists its sources again.
      return me(session, ctx);
    },

    async unlinkIdentity(session, source, ctx) {
      await api.call(`/user/provider/${encodeURIComponent(source)}`, { method: 'DELETE', bearer: session.access_token }, ctx);
      // Not in the SDK, which leaves its user stale: the session's user lists its sources again.
      return me(session, ctx);
    },
  };
}
