// One Alibaba IDaaS CIAM call through the relay, and the two interruptions any call may meet:
// an image captcha and the terms (NEED_AGREE_CONSENT). Each becomes a step; the client sends the
// same call again with the answer.
import { baseUrlOf } from '../../backends/facts.js';
import { AuthError, isAuthError, StepRequired, type AdapterContext, type SignInOutcome, type StepRequest } from '../../contract/index.js';
import type { AlibabaIdaasSettings } from '../../backends/alibaba-idaas.js';
import { readString } from '../shared/responses.js';
import { NEED_AGREE_CONSENT, readData, readOutcome, type Data } from './wire.js';

type Step<K extends StepRequest['kind']> = Extract<StepRequest, { kind: K }>;

export const CIAM = '/api/bff/v1.2/developer/ciam';

/** The handle of a `captcha` step: the image's id, which the retried call sends back. */
interface CaptchaContext {
  captchaCode: string;
}

/** The handle of a `consent` step: the flow that waits for the agreement. */
interface ConsentContext {
  fId?: string;
}

export interface CiamCalls {
  /** A POST below the CIAM base; `data` of the success envelope, else the mapped AuthError. */
  post(path: string, body: Data, ctx: AdapterContext): Promise<Data>;
  /** A GET below the CIAM base with query parameters. */
  get(path: string, query: Record<string, string | undefined>, ctx: AdapterContext): Promise<Data>;
  /** A call that ends in a sign-in: tokens, the next step, or a consent step. */
  signInCall(path: string, body: Data, ctx: AdapterContext): Promise<SignInOutcome>;
  /** A new image for a `captcha` step (`GET /captcha` [T]). */
  captchaStep(ctx: AdapterContext): Promise<Step<'captcha'>>;
}

export function ciamCalls(base: string, settings: AlibabaIdaasSettings): CiamCalls {
  /**
   * One CIAM call. A call interrupted by a captcha answers with a `captcha` step; the call sent
   * again with `ctx.captcha` carries the answer. [?] Only password login is known to be gated
   * (§2.3 lists `captchaCode, captchaText` for it); the seed gives them as parameters of every
   * authentication call, so any call may be answered this way.
   */
  async function post(path: string, body: Data, ctx: AdapterContext): Promise<Data> {
    const sent: Data = { ...body };
    const answer = captchaAnswer(ctx);
    if (answer) Object.assign(sent, answer);
    // Sign-ins and sends change state on the backend: never resent on our own.
    const response = await ctx.http({ url: `${base}${CIAM}${path}`, method: 'POST', body: sent, signal: ctx.signal, retry: false });
    try {
      return readData(response);
    } catch (error) {
      // Read by the mapped code, not by one name: the vendor's names for these are [?].
      if (!isAuthError(error) || error.code !== 'captcha_required') throw error;
      const step = await captchaStep(ctx);
      if (!answer) throw new StepRequired(step);
      // A wrong answer (or an expired image): each image allows one try, so a new one comes with the error.
      throw new StepRequired(step, new AuthError('captcha_required', { invalid: { captcha: 'invalid' }, providerCode: error.providerCode, status: error.status }));
    }
  }

  async function get(path: string, query: Record<string, string | undefined>, ctx: AdapterContext): Promise<Data> {
    const url = new URL(`${base}${CIAM}${path}`);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);
    return readData(await ctx.http({ url, signal: ctx.signal }));
  }

  async function captchaStep(ctx: AdapterContext): Promise<Step<'captcha'>> {
    const data = await get('/captcha', {}, ctx);
    // [?] the captcha answer's fields are undocumented; these are the reference server's.
    const captchaCode = readString(data, 'captchaCode');
    if (!captchaCode) throw new AuthError('server', { providerCode: 'no_captcha' });
    const context: CaptchaContext = { captchaCode };
    const image = imageUrl(readString(data, 'captchaImage') ?? readString(data, 'image'));
    return image ? { kind: 'captcha', image, context } : { kind: 'captcha', context };
  }

  /**
   * A call that ends in a sign-in. `NEED_AGREE_CONSENT` [?] becomes a `consent` step, answered
   * by sending the same call again in the same flow (`fId`) with `agreeConsent: true` — at once
   * when the page shows its terms beside the form (`agreeConsent` setting).
   */
  async function signInCall(path: string, body: Data, ctx: AdapterContext): Promise<SignInOutcome> {
    const agreed = ctx.consent ? consentFlow(ctx.consent.context) : undefined;
    const first = await post(path, agreed ? { ...body, ...agreed, agreeConsent: true } : body, ctx);
    if (readString(first, 'flowType') !== NEED_AGREE_CONSENT) return readOutcome(first);
    // Asked again after agreeing: the backend did not take the agreement; no loop.
    if (agreed) throw new AuthError('invalid_request', { providerCode: NEED_AGREE_CONSENT });
    const fId = readString(first, 'fId');
    const context: ConsentContext = fId ? { fId } : {};
    if (!settings.agreeConsent) throw new StepRequired({ kind: 'consent', context });
    // The captcha answer, if any, was spent on the first call: it is not sent twice.
    const again = await post(path, { ...body, ...context, agreeConsent: true }, { ...ctx, captcha: undefined });
    if (readString(again, 'flowType') === NEED_AGREE_CONSENT) throw new AuthError('invalid_request', { providerCode: NEED_AGREE_CONSENT });
    return readOutcome(again);
  }

  return { post, get, signInCall, captchaStep };
}

/** The captcha fields of a call sent again after a `captcha` step (§2.3 `captchaCode, captchaText`). */
function captchaAnswer(ctx: AdapterContext): Data | undefined {
  const context = ctx.captcha?.context as CaptchaContext | undefined;
  if (!ctx.captcha || typeof context?.captchaCode !== 'string') return undefined;
  return { captchaCode: context.captchaCode, captchaText: ctx.captcha.text };
}

/** An image the page may put in an `<img src>`: a `data:image/…` or http(s) URL, nothing else. */
function imageUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (/^data:image\/[a-z0-9.+-]+[;,]/i.test(value)) return value;
  return baseUrlOf(value) ? value : undefined;
}

/** The flow a `consent` step belongs to (always an object, so that "agreed" is truthy). */
function consentFlow(context: unknown): ConsentContext {
  const fId = (context as ConsentContext | null)?.fId;
  return typeof fId === 'string' ? { fId } : {};
}
