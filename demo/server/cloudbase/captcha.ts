// The captcha hand-off: a password sign-in or code send that needs one answers captcha_required;
// captcha/init gives a page the person completes, which returns a captcha_token to redirect_uri.
// Tencent's captcha service does not exist on this machine, so a LOCAL STAND-IN (not a CloudBase
// path) completes the flow:
//   • GET  /auth/v1/captcha/page?id=…            the captcha page `captcha/init` returns as `url`;
//     it shows 4 digits to type and submits to GET /auth/v1/captcha/complete?id=…&answer=…, which
//     redirects to the redirect_uri with `captcha_token`, `expires_in` and `state` (the 2022 SDK's
//     iframe contract), or with `error`/`error_description`.
import { escapeHtml as esc, json, randomCode, randomToken, redirect, withParams, type BackendContext } from '../kit/index.js';
import { CAPTCHA_TOKEN_TTL_SECONDS, cols } from './model.js';
import { absoluteUrl, html, optionalString, raise, type ApiCall } from './protocol.js';

/**
 * Demands a captcha (captcha_required) unless the request carries a live captcha token, sent as
 * the `x-captcha-token` header (PROVIDERS.md §6.1) or, as the 2022 SDK does, the `captcha_token`
 * query parameter. A token stays valid until it expires (the SDK caches and reuses it) [?].
 */
export function requireCaptcha(ctx: BackendContext, request: Request): void {
  const token = request.headers.get('x-captcha-token') ?? new URL(request.url).searchParams.get('captcha_token');
  if (!token) return raise('captcha_required');
  const record = cols(ctx).captchas.get(token);
  if (!record || record.kind !== 'token' || record.expiresAt <= ctx.now()) return raise('captcha_invalid');
}

// POST (or GET) /auth/v1/captcha/init {client_id, redirect_uri, state} → {url, expires_in}
// [C] path and request fields (2022 SDK captcha.ts). The SDK accepts either {captcha_token, expires_in}
// or {url}; this emulation always answers {url} so a person (or test) must pass the local page.
export async function captchaInit({ ctx, body, request }: ApiCall): Promise<Response> {
  const q = new URL(request.url).searchParams;
  const redirectUri = absoluteUrl(optionalString(body, 'redirect_uri') ?? q.get('redirect_uri'), 'redirect_uri');
  const state = optionalString(body, 'state') ?? q.get('state') ?? '';
  const id = randomToken('chl_', 16);
  cols(ctx).captchas.put(id, { id, kind: 'challenge', answer: randomCode(4), redirectUri, state, expiresAt: ctx.now() + CAPTCHA_TOKEN_TTL_SECONDS * 1000 });
  // [?] not documented: whether expires_in accompanies a url answer.
  return json(200, { url: `${ctx.baseUrl}/auth/v1/captcha/page?id=${id}`, expires_in: CAPTCHA_TOKEN_TTL_SECONDS });
}

function challengePage(id: string, answer: string, wrong: boolean): Response {
  return html(
    200,
    `<h1>Security check (local stand-in)</h1>${wrong ? '<p role="alert">Wrong digits, try again.</p>' : ''}` +
      `<form method="get" action="complete"><input type="hidden" name="id" value="${esc(id)}">` +
      `<label>Type the digits <strong data-captcha-answer="${esc(answer)}">${esc(answer)}</strong> <input name="answer" autocomplete="off" inputmode="numeric"></label> <button>Verify</button></form>`,
  );
}

// LOCAL STAND-IN: GET /auth/v1/captcha/page?id=… and GET /auth/v1/captcha/complete?id=…&answer=…
export function captchaPage(request: Request, ctx: BackendContext, complete: boolean): Response {
  const q = new URL(request.url).searchParams;
  const id = q.get('id') ?? '';
  const c = cols(ctx);
  const record = c.captchas.get(id);
  if (!record || record.kind !== 'challenge') return html(400, '<p>This security check is unknown or already used. Start again.</p>');
  if (record.expiresAt <= ctx.now()) {
    c.captchas.delete(id);
    return redirect(withParams(record.redirectUri!, { error: 'captcha_invalid', error_description: 'captcha expired', state: record.state ?? '' }));
  }
  if (!complete) return challengePage(id, record.answer!, false);
  if ((q.get('answer') ?? '').trim() !== record.answer) return challengePage(id, record.answer!, true);
  c.captchas.delete(id);
  const token = randomToken('cap_', 18);
  c.captchas.put(token, { id: token, kind: 'token', expiresAt: ctx.now() + CAPTCHA_TOKEN_TTL_SECONDS * 1000 });
  return redirect(withParams(record.redirectUri!, { captcha_token: token, expires_in: String(CAPTCHA_TOKEN_TTL_SECONDS), state: record.state ?? '' }));
}
