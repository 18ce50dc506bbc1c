// Reading Alibaba IDaaS CIAM answers: the success envelope, tokens, the next step of a flow
// (`fId` + `flowType` [C]), and the phone number split the backend wants.
import { AuthError, type HttpResponse, type SignInOutcome, type StepRequest, type TokenSet, type User } from '../../contract/index.js';
import { decodeJwt } from '../../core/util/jwt.js';
import { userFromClaims } from '../../core/util/session.js';
import { readString, transportFailure } from '../shared/responses.js';
import { alibabaError } from './errors.js';

export type Data = Record<string, unknown>;

type FactorMethod = 'sms' | 'email' | 'totp' | 'password';

/** The backend's second-factor type names [T] (`SMS/EMAIL/PWD…`) and ours. */
const FACTOR_METHODS: Record<string, FactorMethod> = {
  SMS: 'sms',
  EMAIL: 'email',
  // [?] the TOTP type name is not documented; both spellings seen in IDaaS consoles are accepted.
  TOTP: 'totp',
  OTP: 'totp',
  // The password asked for again, e.g. after a code sign-in (§2.3 verify_second_factor [T]).
  PWD: 'password',
};

/** The second-factor step's own handle: the flow and the backend types it offers. */
export interface FactorContext {
  fId: string;
  /** Backend type names in the backend's order (`SMS`, `EMAIL`, `PWD`…). */
  types: string[];
}

/**
 * `data` of a `{success:true, data}` answer. Anything else is mapped to an AuthError. A bare
 * OAuth-shaped token answer (no envelope, as `/oauth/token` gives) is returned as it is.
 */
export function readData(response: HttpResponse, during: 'refresh' | 'other' = 'other'): Data {
  const body = response.body as Data | undefined;
  if (response.status < 200 || response.status >= 300 || !body || typeof body !== 'object') throw alibabaError(response, during);
  if (body.success === false || typeof body.error === 'string') throw alibabaError(response, during);
  if (body.success === true) {
    if (typeof body.data === 'object' && body.data !== null) return body.data as Data;
    return {};
  }
  // No envelope at all: an OAuth token answer [T], or something we cannot read.
  if (typeof body.access_token === 'string') return body;
  throw transportFailure({ ...response, body: undefined }) ?? alibabaError(response, during);
}

/** The user id: `uuid` (set in the seed's example, where `userId` is null), then `userId`, then `sub`. */
export function readTokens(data: Data, keepIdToken = true): TokenSet {
  const access = readString(data, 'access_token');
  if (!access) throw new AuthError('server', { providerCode: 'no_access_token' });
  const tokens: TokenSet = { access_token: access, token_type: readString(data, 'token_type') ?? 'bearer' };
  const expiresIn = Number(data.expires_in);
  if (Number.isFinite(expiresIn) && expiresIn > 0) tokens.expires_in = expiresIn;
  const refresh = readString(data, 'refresh_token');
  if (refresh) tokens.refresh_token = refresh;
  const idToken = readString(data, 'id_token');
  if (idToken && keepIdToken) tokens.id_token = idToken;
  const user = readUser(data, idToken);
  if (user) tokens.user = user;
  return tokens;
}

function readUser(data: Data, idToken: string | undefined): User | undefined {
  const claims = idToken ? decodeJwt(idToken) : null;
  const fromClaims = userFromClaims(claims) ?? undefined;
  const id = readString(data, 'uuid') || readString(data, 'userId') || fromClaims?.id;
  if (!id) return undefined;
  const user: User = { ...fromClaims, id };
  // `loginName` is the id token's username claim in the seed's example.
  if (!user.name && typeof claims?.loginName === 'string') user.name = claims.loginName;
  const phone = readString(data, 'phoneNumber');
  if (phone && !user.phone) user.phone = phone;
  return user;
}

/** `flowType` of a flow waiting for the person to accept the terms [?] (the reference server's name). */
export const NEED_AGREE_CONSENT = 'NEED_AGREE_CONSENT';

/**
 * Tokens (done), or the next step of the flow. `NEED_TWO_FACTOR` [C] becomes a second-factor
 * step; `NEED_AGREE_CONSENT` is handled by the caller; any other `flowType` is a step this
 * widget cannot show, reported as `mfa_required` with the flowType as providerCode.
 */
export function readOutcome(data: Data): SignInOutcome {
  if (typeof data.access_token === 'string') return readTokens(data);
  const flowType = readString(data, 'flowType');
  const fId = readString(data, 'fId');
  if (flowType === 'NEED_TWO_FACTOR' && fId) return secondFactorStep(data, fId);
  if (flowType) {
    // [?] §2.6 q1: the other flowType values (bind phone, complete profile, password expired) are undocumented.
    throw new AuthError('mfa_required', { providerCode: flowType });
  }
  throw new AuthError('server', { providerCode: 'no_tokens' });
}

function secondFactorStep(data: Data, fId: string): StepRequest {
  // [?] `twoFactorTypes` and the masked `phoneNumber`/`email` are the reference server's names;
  // the vendor's are undocumented. Without a list, SMS is assumed (the documented example).
  const listed = Array.isArray(data.twoFactorTypes) ? data.twoFactorTypes.filter((t): t is string => typeof t === 'string').map((t) => t.toUpperCase()) : [];
  const types = listed.length ? listed : ['SMS'];
  const methods = [...new Set(types.map((t) => FACTOR_METHODS[t]).filter((m) => m !== undefined))];
  const target = readString(data, 'phoneNumber') ?? readString(data, 'email');
  const context: FactorContext = { fId, types };
  // `password` (PWD): verifySecondFactor takes the password as the "code".
  return target ? { kind: 'second_factor', methods, target, context } : { kind: 'second_factor', methods, context };
}

export function factorType(context: FactorContext, method: FactorMethod): string | undefined {
  return context.types.find((t) => FACTOR_METHODS[t] === method);
}

export function isFactorContext(value: unknown): value is FactorContext {
  const v = value as FactorContext | null;
  return typeof v === 'object' && v !== null && typeof v.fId === 'string' && Array.isArray(v.types);
}

// ITU-T E.164 country calling codes: 1 and 7 are one digit; these are the assigned two-digit
// ones; every other code is three digits. Enough to split `+<region><number>` without a library.
const TWO_DIGIT = new Set('20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(' '));

/** `+8613800000000` → `{ phoneRegion: '86', phoneNumber: '13800000000' }`; no `+`: the default region. */
export function splitPhone(phone: string, defaultRegion: string): { phoneRegion: string; phoneNumber: string } {
  const compact = phone.replace(/[\s()-]/g, '');
  if (!compact.startsWith('+')) return { phoneRegion: defaultRegion, phoneNumber: compact.replace(/^00/, '') };
  const digits = compact.slice(1);
  const length = digits[0] === '1' || digits[0] === '7' ? 1 : TWO_DIGIT.has(digits.slice(0, 2)) ? 2 : 3;
  return { phoneRegion: digits.slice(0, length), phoneNumber: digits.slice(length) };
}
