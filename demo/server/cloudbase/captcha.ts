// The image captcha of `@cloudbase/js-sdk` 3.7 (PROVIDERS.md §6.2, last row [C]): a call that
// needs one answers captcha_required (4001); the client asks POST /captcha/data for an image and
// a token, the person types what it shows, POST /captcha/data/verify {token, key} trades the
// answer for a captcha_token, and the interrupted call goes again with `?captcha_token=` in its
// query. Tencent's risk control decides when to ask; here the seeded `captcha` account, a code
// sent to an email that starts with "captcha" (a sign-up), and 3 wrong passwords in a row do.
//
// No test can read an image, so the emulation also "delivers" each image's answer to the outbox
// (purpose `captcha`, addressed to the image's token), as the Alibaba emulation does.
import { randomCode, randomToken, type BackendContext } from '../kit/index.js';
import { CAPTCHA_IMAGE_TTL_SECONDS, CAPTCHA_TOKEN_TTL_SECONDS, cols, type ApiCall } from './model.js';
import { ok, optionalString, raise, requiredString } from './protocol.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Demands a captcha (captcha_required) unless the query carries a live `captcha_token` (the SDK
 * puts it there, never in a header [C]). [?] A token is good until it expires, for any call: the
 * SDK keeps it and sends it again on the next captcha_required, so the backend must accept that.
 */
export function requireCaptcha(ctx: BackendContext, request: Request): void {
  const token = new URL(request.url).searchParams.get('captcha_token');
  if (!token) return raise('captcha_required');
  const record = cols(ctx).captchas.get(token);
  if (!record || record.kind !== 'token' || record.expiresAt <= ctx.now()) return raise('captcha_invalid');
}

/** Whether a code sent to this email needs a captcha first: the demo's rule. */
export function captchaContact(value: string | undefined): boolean {
  return /^captcha/i.test(value ?? '');
}

function image(text: string): string {
  const letters = [...text].map((c, i) => `<text x="${14 + i * 24}" y="${27 + (i % 2) * 4}" transform="rotate(${(i % 2 ? 8 : -8)} ${20 + i * 24} 24)">${c}</text>`).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="120" height="40" fill="#eef"/><g font-family="monospace" font-size="22" fill="#225">${letters}</g><path d="M4 30 C40 4, 80 40, 116 10" stroke="#99a" fill="none"/></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

// POST /auth/v1/captcha/data {state, redirect_uri?} → {data, type, token, expires_in}
// [C] path, request and the `data`/`token` answer (SDK captcha.ts). [?] `data` being a data URL
// (the SDK's parseCaptcha wants one) of an SVG, the 4 characters and the lifetime.
export async function captchaData({ ctx, body }: ApiCall): Promise<Response> {
  const state = requiredString(body, 'state');
  optionalString(body, 'redirect_uri');
  const digits = randomCode(8);
  const text = Array.from({ length: 4 }, (_, i) => ALPHABET[(Number(digits.slice(i * 2, i * 2 + 2)) * 7 + i) % ALPHABET.length]).join('');
  const token = randomToken('cht_', 16);
  cols(ctx).captchas.put(token, { id: token, kind: 'challenge', answer: text, state, expiresAt: ctx.now() + CAPTCHA_IMAGE_TTL_SECONDS * 1000 });
  ctx.outbox.deliver({ backend: 'cloudbase', channel: 'email', to: token, purpose: 'captcha', code: text, text: `[CloudBase demo] Image captcha ${token}: ${text}` });
  return ok({ data: image(text), type: 'image', token, expires_in: CAPTCHA_IMAGE_TTL_SECONDS });
}

// POST /auth/v1/captcha/data/verify {token, key} → {captcha_token, expires_in}
// [C] path, request and answer. [?] The error for a wrong or stale answer: invalid_argument (3),
// never captcha_invalid, which would make the SDK open a second captcha over the first. An image
// takes one answer ([?], as the SDK fetches a new image after a wrong one anyway); case does not matter.
export async function verifyCaptchaData({ ctx, body }: ApiCall): Promise<Response> {
  const token = requiredString(body, 'token');
  const key = requiredString(body, 'key');
  const c = cols(ctx);
  const record = c.captchas.get(token);
  if (!record || record.kind !== 'challenge' || record.expiresAt <= ctx.now()) return raise('invalid_argument', 'captcha expired, get a new image');
  c.captchas.delete(token);
  if (key.trim().toUpperCase() !== record.answer) return raise('invalid_argument', 'captcha answer is incorrect');
  const captchaToken = randomToken('cap_', 18);
  c.captchas.put(captchaToken, { id: captchaToken, kind: 'token', expiresAt: ctx.now() + CAPTCHA_TOKEN_TTL_SECONDS * 1000 });
  return ok({ captcha_token: captchaToken, expires_in: CAPTCHA_TOKEN_TTL_SECONDS });
}
