// POST /oauth/update_profile_native [C name]: here only the new password after a reset link, with
// the access token the link's code was exchanged for (the relay does the exchange).
import type { BackendContext } from '../kit/index.js';
import { FORMS, captureTime, collections, policies } from './model.js';
import { MESSAGES, checkBase, fail, invalidArgument, missing, ok, type Form } from './protocol.js';
import { checkNewPassword } from './sign-in.js';
import { lookup } from './tokens.js';
import { hashPassword } from '../kit/index.js';

export async function updateProfile(ctx: BackendContext, form: Form): Promise<Response> {
  const base = checkBase(form, null, false);
  if (base instanceof Response) return base;
  if (!form.access_token) return missing('access_token');
  const { grants, users } = collections(ctx);
  const found = lookup(grants, 'access_token', form.access_token, ctx.now());
  const user = found && users.get(found.grant.uuid);
  // [?] not documented: the answer to a bad access token here; 414 as for an expired one.
  if (!user) return fail(414, 'access_token_expired', 'the access token is expired or invalid');
  if (!form.form) return missing('form');
  // [?] not documented: the form of a new password (the usual name of the standard flow's); only it is emulated.
  if (form.form !== FORMS.newPassword) return invalidArgument('form', `must be ${FORMS.newPassword} for this call`);
  const t = MESSAGES[base.locale];
  const fields: Record<string, string[]> = {};
  checkNewPassword(form, t, (name, message) => (fields[name] ??= []).push(message));
  if (Object.keys(fields).length) return fail(390, 'invalid_form_fields', 'some fields are invalid', { invalid_fields: fields });
  users.put(user.uuid, { ...user, passwordHash: await hashPassword(form.newPassword!), lastUpdated: captureTime(ctx.now()) });
  // A new password ends a lock-out after wrong passwords.
  policies(ctx).lockout.reset(user.email);
  return ok({});
}
