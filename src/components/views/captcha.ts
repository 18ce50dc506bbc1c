import { css, html, nothing } from 'lit';
import type { PendingStep } from '../../contract/index.js';
import type { StepResult } from '../../core/client.js';
import { field } from '../base/fields.js';
import { formMessages } from '../base/templates.js';
import { read, type ViewHost } from './host.js';

export interface CaptchaHost extends ViewHost {
  /** Called with the result of the call the check interrupted, once it went through. */
  afterCaptcha?(result: StepResult<object>): void;
}

/** The backend's image: only the steps and `<auth-profile>` show it, so not in the first views' styles. */
export const captchaStyles = css`
  :where(.auth-form [part~='captcha']) {
    max-inline-size: 12rem;
    block-size: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: #fff;
  }
`;

/** Only images: a data URL of an image, or an http(s) address; an `<img>` runs no script, even of an SVG. */
export function safeImage(url: string | undefined): string | undefined {
  return url && /^(data:image\/(png|gif|jpeg|webp|svg\+xml)[;,]|https?:)/i.test(url) ? url : undefined;
}

/**
 * A human check the backend asked for in the middle of any call (a sign-in, a code send): type
 * what the image shows; the interrupted call is then sent again. Each image allows one answer.
 */
export function captchaView(host: CaptchaHost, step: Extract<PendingStep, { kind: 'captcha' }>) {
  const { auth, i18n, form } = host;
  const image = safeImage(step.image);
  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    form.begin();
    const text = read(event.currentTarget as HTMLFormElement, 'captcha');
    if (!text) return form.invalidate('captcha', 'required');
    const result = await form.run((options) => auth.client!.answerCaptcha({ text }, options));
    if (result && !result.error && !result.data.step) host.afterCaptcha?.(result);
  };
  const another = () => form.run((options) => auth.client!.newCaptcha(options));
  const cancel = () => {
    form.clear();
    auth.client?.cancelStep();
    form.focus('first');
  };
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      <p part="message">${i18n.t('captchaIntro')}</p>
      ${image ? html`<img part="captcha" src=${image} alt=${i18n.t('captchaImage')} />` : nothing}
      ${field({ id: host.id_('captcha'), label: i18n.t('captcha'), name: 'captcha', type: 'text', autocomplete: 'off', help: i18n.t('captchaHelp'), invalid: form.message('captcha') })}
      <button part="link" type="button" @click=${another}>${i18n.t('newCaptcha')}</button>
      ${formMessages(form, i18n, host.id_('error'))}
      <button part="button" type="submit">${i18n.t('continue')}</button>
      <button part="link" type="button" @click=${cancel}>${i18n.t('back')}</button>
    </fieldset>
  </form>`;
}
