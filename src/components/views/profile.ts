import { html, nothing } from 'lit';
import type { PendingStep, User } from '../../contract/index.js';
import type { PasskeyCredential } from '../../core/passkey-credentials.js';
import { field, isEmail, phoneField, toE164 } from '../base/fields.js';
import { formMessages } from '../base/templates.js';
import { codeField, readCode, resendButton, type CodeHost } from './code.js';
import { read } from './host.js';
import { maskPhone } from './mask-phone.js';
import { isPictureUrl } from './user.js';

/** The sections of `<auth-profile>`. */
export type Section = 'profile' | 'email' | 'phone' | 'password' | 'identities' | 'passkeys';

/** What the profile views need of `<auth-profile>`. */
export interface ProfileHost extends CodeHost {
  /** The section the last action was about: its messages show. */
  said: Section | null;
  /** What waits for a yes: `unlink:<source>` or `remove:<passkey id>`. */
  confirming: string | null;
  edit(section: Section | null): void;
}

/** Name and picture as they are now. */
export function profileRows(host: ProfileHost, user: User, fields: string[]) {
  const { i18n } = host;
  const value = (text: string | undefined) => (text?.trim() ? html`<span part="value">${text.trim()}</span>` : html`<span part="value muted">${i18n.t('notSet')}</span>`);
  return html`<dl part="rows">
    ${fields.includes('name') ? html`<div part="row"><dt part="label">${i18n.t('name')}</dt><dd part="value">${value(user.name)}</dd></div>` : nothing}
    ${fields.includes('picture')
      ? html`<div part="row"><dt part="label">${i18n.t('picture')}</dt><dd part="value">${isPictureUrl(user.picture) ? html`<img part="picture" src=${user.picture} alt="" width="40" height="40" />` : value(undefined)}</dd></div>`
      : nothing}
  </dl>`;
}

/** Editing name and picture: only what changed is sent; nothing changed closes the editor. */
export function profileForm(host: ProfileHost, user: User, fields: string[], save: (changes: { name?: string; picture?: string }) => void) {
  const { i18n, form } = host;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    form.begin();
    const element = event.currentTarget as HTMLFormElement;
    const changes: { name?: string; picture?: string } = {};
    const name = fields.includes('name') ? read(element, 'name') : '';
    const picture = fields.includes('picture') ? read(element, 'picture') : '';
    if (picture && !isPictureUrl(picture)) return form.invalidate('picture', 'invalid_url');
    if (name && name !== (user.name ?? '')) changes.name = name;
    if (picture && picture !== (user.picture ?? '')) changes.picture = picture;
    save(changes);
  };
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      ${fields.includes('name') ? field({ id: host.id_('name'), label: i18n.t('name'), name: 'name', type: 'text', autocomplete: 'name', value: user.name ?? '', invalid: form.message('name') }) : nothing}
      ${fields.includes('picture') ? field({ id: host.id_('picture'), label: i18n.t('picture'), name: 'picture', type: 'url', autocomplete: 'photo', inputmode: 'text', value: user.picture ?? '', invalid: form.message('picture') }) : nothing}
      ${formMessages(form, i18n, host.id_('error'))}
      <div part="actions">
        <button part="button" type="submit">${i18n.t('save')}</button>
        <button part="link" type="button" @click=${() => host.edit(null)}>${i18n.t('cancel')}</button>
      </div>
    </fieldset>
  </form>`;
}

/** The email or phone number as it is now, and whether the backend says it is verified. */
export function contactValue(host: ProfileHost, kind: 'email' | 'phone', user: User) {
  const { i18n } = host;
  const value = kind === 'email' ? user.email : user.phone;
  const verified = kind === 'email' ? user.email_verified : user.phone_verified;
  return html`<p part="row">
    ${value ? html`<span part="value">${kind === 'phone' ? maskPhone(value) : value}</span>` : html`<span part="value muted">${i18n.t('notSet')}</span>`}
    ${value && typeof verified === 'boolean' ? html`<span part=${verified ? 'badge verified' : 'badge'}>${i18n.t(verified ? 'verified' : 'unverified')}</span>` : nothing}
  </p>`;
}

interface ContactActions {
  /** Sends a code to the new value (an empty value: the same one again). */
  send(value: string): void;
  verify(code: string): void;
  cancel(): void;
}

/** A new email or phone number, then the code sent to it (Verify, Resend code, Cancel). */
export function contactForm(host: ProfileHost, kind: 'email' | 'phone', waiting: Extract<PendingStep, { kind: 'verify_contact' }> | null, actions: ContactActions) {
  const { i18n, form } = host;
  if (waiting) {
    const submit = (event: SubmitEvent) => {
      event.preventDefault();
      form.begin();
      const code = readCode(event.currentTarget as HTMLFormElement);
      if (!code) return form.invalidate('code', 'required');
      actions.verify(code);
    };
    const target = kind === 'phone' ? maskPhone(waiting.target) : waiting.target;
    return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
      <fieldset>
        <p part="message">${i18n.t('contactCodeSent', { target })}</p>
        ${codeField(host)} ${formMessages(form, i18n, host.id_('error'))}
        <button part="button" type="submit">${i18n.t('verify')}</button>
        <div part="actions">
          ${resendButton(host, () => {
            form.begin();
            actions.send('');
          })}
          <button part="link" type="button" @click=${actions.cancel}>${i18n.t('cancel')}</button>
        </div>
      </fieldset>
    </form>`;
  }
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    form.begin();
    const element = event.currentTarget as HTMLFormElement;
    if (kind === 'email') {
      const email = read(element, 'email');
      if (!email) return form.invalidate('email', 'required');
      if (!isEmail(email)) return form.invalidate('email', 'invalid_email');
      return actions.send(email);
    }
    const number = read(element, 'username');
    if (!number) return form.invalidate('phone', 'required');
    const phone = toE164(read(element, 'region'), number);
    if (!phone) return form.invalidate('phone', 'invalid_phone');
    actions.send(phone);
  };
  return html`<form part="form" class="auth-form" novalidate @submit=${submit}>
    <fieldset>
      ${kind === 'email'
        ? field({ id: host.id_('new-email'), label: i18n.t('newEmail'), name: 'email', type: 'email', autocomplete: 'email', inputmode: 'email', invalid: form.message('email') })
        : phoneField({ id: host.id_('new-phone'), label: i18n.t('newPhone'), regionLabel: i18n.t('region'), region: host.defaultRegion, autocomplete: 'tel-national', invalid: form.message('phone') })}
      ${formMessages(form, i18n, host.id_('error'))}
      <div part="actions">
        <button part="button" type="submit">${i18n.t('sendCode')}</button>
        <button part="link" type="button" @click=${actions.cancel}>${i18n.t('cancel')}</button>
      </div>
    </fieldset>
  </form>`;
}

/**
 * A yes-or-no in place of a row: the question, the dangerous button, Cancel (which gives focus
 * back to the button `back` names).
 */
export function confirmRow(host: ProfileHost, question: string, yes: string, confirmed: () => void, back: string) {
  const cancel = () => {
    host.confirming = null;
    host.form.focus(`#${back}`);
  };
  const asked = host.id_('question');
  // The question describes the dangerous button, which has focus: a screen reader reads both.
  return html`<li part="row confirm">
    <span part="value" id=${asked}>${question}</span>
    <span part="actions">
      <button part="button secondary danger" type="button" id=${host.id_('confirm')} aria-describedby=${asked} @click=${confirmed}>${yes}</button>
      <button part="link" type="button" @click=${cancel}>${host.i18n.t('cancel')}</button>
    </span>
  </li>`;
}

/** The person's passkeys: name, when added and last used, Remove (asked first). */
export function passkeyRows(host: ProfileHost, list: PasskeyCredential[] | null, failed: string | null, remove: (id: string) => void, ask: (id: string) => void) {
  const { i18n } = host;
  if (failed) return html`<p part="message invalid" role="alert">${failed}</p>`;
  if (!list) return html`<p part="message" aria-busy="true">${i18n.t('working')}</p>`;
  if (!list.length) return html`<p part="message">${i18n.t('noPasskeys')}</p>`;
  const date = (ms: number) => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium' }).format(ms);
  return html`<ul part="rows">
    ${list.map((key) => {
      const id = host.id_(`remove-${key.id}`);
      if (host.confirming === `remove:${key.id}`) return confirmRow(host, i18n.t('removePasskeyConfirm'), i18n.t('remove'), () => remove(key.id), id);
      const name = key.name ?? i18n.t('passkeyItem');
      const when = [key.createdAt ? i18n.t('passkeyAddedOn', { date: date(key.createdAt) }) : '', key.lastUsedAt ? i18n.t('passkeyUsedOn', { date: date(key.lastUsedAt) }) : ''].filter(Boolean).join(' · ');
      return html`<li part="row">
        <span part="value">${name}${when ? html`<br /><span part="muted">${when}</span>` : nothing}</span>
        <button part="button secondary danger" type="button" id=${id} aria-label=${`${i18n.t('remove')}: ${name}${when ? `, ${when}` : ''}`} @click=${() => ask(key.id)}>${i18n.t('remove')}</button>
      </li>`;
    })}
  </ul>`;
}
