// Password sign-in: the password grant (ROPC) and the portal's login share checkPassword, with the
// lock-out; POST /change_user_password.
import { bearerToken, hashPassword, readJson, verifyNoPassword, verifyPassword, type BackendContext } from '../kit/index.js';
import { associatedSource, collections, findUserByIdentifier, isAbnormal, policies, type App, type User } from './model.js';
import { ERR, invalidScope, oauthError, parseScope, reply, str } from './protocol.js';
import { invalidToken, issueTokens, accessTokenUser } from './tokens.js';

// [?] not documented: the ROPC failure bodies (§3.6 q4). One message for unknown user and wrong
// password (no enumeration); a lock-out after too many failures reports the documented
// "Abnormal user status" (§3.5: "the account is locked or frozen").
const badCredentials = () => oauthError('invalid_grant', 'Bad credentials');

/** Password check shared by the password grant and the portal login page, with lock-out. */
export async function checkPassword(ctx: BackendContext, identifier: string, password: string): Promise<{ user: User } | { error: 'credentials' | 'abnormal' }> {
  const user = findUserByIdentifier(ctx, identifier);
  if (!user || !user.passwordHash) {
    await verifyNoPassword(password); // same cost either way
    return { error: 'credentials' };
  }
  const { lockout } = policies(ctx);
  // A temporary lock-out answers before the password is checked (it must not be guessable through);
  // a frozen/locked status only after the right password, so it is not revealed to a guesser. [?]
  if (lockout.state(user.id).locked) return { error: 'abnormal' };
  if (!(await verifyPassword(password, user.passwordHash))) return { error: lockout.fail(user.id).locked ? 'abnormal' : 'credentials' };
  lockout.reset(user.id);
  if (isAbnormal(ctx, user)) return { error: 'abnormal' };
  return { user };
}

export async function passwordGrant(body: Record<string, unknown>, app: App, ctx: BackendContext): Promise<Response> {
  const authSourceId = str(body, 'auth_source_id');
  if (!authSourceId) return ERR.missing('auth_source_id');
  if (!associatedSource(app, authSourceId, 'password')) return ERR.authSource();
  const username = str(body, 'username');
  if (!username) return ERR.missing('username');
  const password = str(body, 'password');
  if (!password) return ERR.missing('password');
  const scope = parseScope(str(body, 'scope'));
  if (!scope) return invalidScope();
  const result = await checkPassword(ctx, username, password);
  if ('error' in result) return result.error === 'abnormal' ? ERR.abnormal() : badCredentials();
  return issueTokens(ctx, result.user, app.clientId, { scope, authTime: ctx.now() });
}

/** POST /change_user_password [C]: JSON `{old_password, new_password}` with a Bearer token. */
export async function changePassword(request: Request, ctx: BackendContext): Promise<Response> {
  const token = bearerToken(request);
  const user = token ? await accessTokenUser(ctx, token) : null;
  if (!user) return invalidToken();
  const body = await readJson(request);
  if (!body) return ERR.malformed();
  const oldPassword = str(body, 'old_password');
  const newPassword = str(body, 'new_password');
  if (!newPassword) return ERR.missing('new_password');
  // [?] not documented: error texts and the password policy; the success body (`{}`).
  if (user.passwordHash && (!oldPassword || !(await verifyPassword(oldPassword, user.passwordHash)))) return oauthError('invalid_request', 'Incorrect old password');
  if (newPassword.length < 8 || newPassword.length > 128) return oauthError('invalid_request', 'Password does not meet the password policy');
  user.passwordHash = await hashPassword(newPassword);
  collections(ctx).users.put(user.id, user);
  return reply(200, {});
}
