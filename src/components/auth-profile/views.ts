import { html, nothing, type TemplateResult } from 'lit';
import { AuthError, type Channel, type PendingStep, type User } from '../../contract/index.js';
import type { StepResult } from '../../core/client.js';
import { listPasskeys, removePasskey, type PasskeyCredential } from '../../core/passkey-credentials.js';
import { registrationUrls, warmUpWebAuthn, webAuthnSupported } from '../../core/passkeys.js';
import { wordError } from '../base/auth-controller.js';
import type { CountdownController } from '../base/countdown-controller.js';
import { formBase } from '../base/document-styles.js';
import { addPasskey, passkeyBearer } from '../base/passkey-registration.js';
import { formMessages } from '../base/templates.js';
import { changePasswordView } from '../views/forms.js';
import { verifyEmailView } from '../views/steps.js';
import { captchaStyles, captchaView } from '../views/captcha.js';
import { confirmRow, contactForm, contactValue, passkeyRows, profileForm, profileRows, type ProfileHost, type Section } from '../views/profile.js';
import { sourceName } from '../views/social.js';
import { userStyles, userSummary } from '../views/user.js';
import { profileStyles } from './styles.js';

// What <auth-profile> renders and does, loaded when the first one connects (AuthFormElement.views):
// the element itself holds its properties and which section is open.

export const styles = [formBase, userStyles, captchaStyles, profileStyles];

/** What a finished edit of each section says. */
const CHANGED = { profile: 'profileSaved', email: 'emailChanged', phone: 'phoneChanged' } as const;

/** What the sections need of `<auth-profile>`. */
export interface ProfileElement extends ProfileHost {
  readonly countdown: CountdownController;
  optionsUrl?: string;
  verifyUrl?: string;
  credentialsUrl?: string;
  editing: Section | null;
  passkeyList: PasskeyCredential[] | null;
  /** For the password view: no identifier was typed here. */
  readonly account: string;
  go(view: 'sign-in' | 'change-password'): void;
  afterCaptcha(result: StepResult<object>): void;
}

/**
 * The sections of `<auth-profile>` for one element: what each shows, and the actions behind
 * their buttons (save, change a contact with its code, unlink, add and remove passkeys).
 */
export class ProfileSections {
  #listError: AuthError | null = null;
  /** Whose passkeys were loaded (or are loading): loaded once per person. */
  #listedFor = '';
  /** The new email or phone number a code went to, for "Resend code". */
  #contact = '';
  #lastStep: PendingStep | null = null;

  constructor(private readonly host: ProfileElement) {}

  /** A change that waited for a security check went through. */
  afterCaptcha(result: StepResult<object>): void {
    const editing = this.host.editing;
    if ('user' in result.data && (editing === 'profile' || editing === 'email' || editing === 'phone')) this.#finished(editing);
  }

  /** Before each render: signed out forgets everything; a new step opens its section. */
  willUpdate(): void {
    const { host } = this;
    const { status, pending } = host.auth.state;
    if (status !== 'signed-in' && (this.#listedFor || host.editing)) this.reset();
    // An emailed link to verify the address brought the person back: the email section answers it.
    if (pending?.kind === 'verify_email') host.said = 'email';
    // A new code went out: "Resend code" waits.
    if (pending !== this.#lastStep && pending?.kind === 'verify_contact' && pending.origin === 'profile') host.countdown.start(60);
    this.#lastStep = pending;
  }

  /** After each render: the person's passkeys, loaded once per person. */
  updated(): void {
    const user = this.host.auth.state.user;
    if (user && this.#credentialsUrl && this.#listedFor !== user.id) void this.#loadPasskeys(user);
  }

  render() {
    const { status, user, pending } = this.host.auth.state;
    if (status !== 'signed-in' || !user) return nothing;
    const account = this.host.auth.capabilities.account;
    const step = pending?.origin === 'profile' ? pending : null;
    const sections: TemplateResult[] = [];
    if (account?.profile.some((f) => f === 'name' || f === 'picture')) sections.push(this.#section('profile', 'profile', this.#profile(user, account.profile)));
    if (account?.email || this.host.auth.capabilities.verifyEmail) sections.push(this.#section('email', 'email', this.#contact_('email', user, step)));
    if (account?.phone) sections.push(this.#section('phone', 'phone', this.#contact_('phone', user, step)));
    if (account?.password) sections.push(this.#section('password', 'password', this.#password()));
    if (account?.identities.length) sections.push(this.#section('identities', 'identities', this.#identities(user, account.identities)));
    if (this.#canAddPasskeys) sections.push(this.#section('passkeys', 'passkeys', this.#passkeys()));
    return html`<div part="card" class="auth-card">
      <h2 part="heading" tabindex="-1" data-auth-status>${this.host.i18n.t('headingProfile')}</h2>
      <div class="auth-form"><div part="user">${userSummary(user, this.host.i18n.language)}</div></div>
      ${sections}
    </div>`;
  }

  #section(name: Section, title: 'profile' | 'email' | 'phone' | 'password' | 'identities' | 'passkeys', body: unknown) {
    const heading = this.host.id_(`${name}-heading`);
    return html`<section part="section ${name}" aria-labelledby=${heading}>
      <h3 part="section-heading" id=${heading}>${this.host.i18n.t(title)}</h3>
      ${body}
    </section>`;
  }

  /** The overview of a section: its rows, one button, its messages, in a form of its own. */
  #overview(name: Section, rows: unknown, action?: { label: string; click: () => void; warmUp?: () => void }, part = 'form overview') {
    return html`<form part=${part} class="auth-form" @submit=${(event: Event) => event.preventDefault()}>
      <fieldset>
        ${rows}
        ${action ? html`<div part="actions"><button part="button secondary" type="button" id=${this.host.id_(`${name}-action`)} @pointerenter=${action.warmUp} @focus=${action.warmUp} @click=${action.click}>${action.label}</button></div>` : nothing}
        ${formMessages(this.host.form, this.host.i18n, this.host.id_('error'), this.host.said === name)}
      </fieldset>
    </form>`;
  }

  #profile(user: User, fields: string[]) {
    if (this.host.editing === 'profile') return profileForm(this.host, user, fields, (changes) => this.#save(changes));
    return this.#overview('profile', profileRows(this.host, user, fields), { label: this.host.i18n.t('edit'), click: () => this.host.edit('profile') });
  }

  async #save(changes: { name?: string; picture?: string }) {
    if (!Object.keys(changes).length) return this.host.edit(null);
    const result = await this.host.form.run((options) => this.host.auth.client!.updateUser(changes, options));
    if (result && !result.error && !result.data.step) this.#finished('profile');
  }

  #contact_(kind: 'email' | 'phone', user: User, step: PendingStep | null) {
    const channel: Channel = kind === 'email' ? 'email' : 'sms';
    const linked = this.host.auth.state.pending;
    if (kind === 'email' && linked?.kind === 'verify_email') return verifyEmailView(this.host, linked);
    if (step && this.host.editing === kind && step.kind === 'captcha') return captchaView(this.host, step);
    const waiting = step?.kind === 'verify_contact' && step.channel === channel ? step : null;
    if (waiting || this.host.editing === kind) {
      return contactForm(this.host, kind, waiting, {
        send: (value) => this.#sendContact(kind, value),
        verify: (code) => this.#verifyContact(kind, code),
        cancel: () => {
          if (waiting) this.host.auth.client?.cancelStep();
          this.host.edit(null);
        },
      });
    }
    const current = kind === 'email' ? user.email : user.phone;
    const changeable = this.host.auth.capabilities.account?.[kind];
    return this.#overview(kind, html`${contactValue(this.host, kind, user)}${kind === 'email' ? this.#verification(user) : nothing}`, changeable ? { label: this.host.i18n.t(current ? 'change' : 'add'), click: () => this.host.edit(kind) } : undefined);
  }

  /** An address the backend can confirm by an emailed link (`capabilities.verifyEmail`), not confirmed yet. */
  #verification(user: User) {
    if (!this.host.auth.capabilities.verifyEmail || !user.email || user.email_verified !== false) return nothing;
    const send = async () => {
      this.host.said = 'email';
      this.host.form.begin();
      const result = await this.host.form.run((options) => this.host.auth.client!.sendEmailVerification(options));
      if (result && !result.error) this.host.form.setNotice('verificationEmailSent', { target: result.data.target ?? user.email ?? '' });
    };
    return html`<div part="actions"><button part="button secondary" type="button" id=${this.host.id_('email-verify')} @click=${send}>${this.host.i18n.t('sendVerificationEmail')}</button></div>`;
  }

  async #sendContact(kind: 'email' | 'phone', value: string) {
    this.#contact = value || this.#contact;
    if (!this.host.editing) this.host.editing = kind;
    const result = await this.host.form.run((options) => this.host.auth.client!.updateUser({ [kind]: this.#contact }, options));
    // Changed at once, without a code (a backend that trusts the session).
    if (result && !result.error && !result.data.step && !this.host.auth.state.pending) this.#finished(kind);
  }

  async #verifyContact(kind: 'email' | 'phone', code: string) {
    const result = await this.host.form.run((options) => this.host.auth.client!.verifyContact({ code }, options));
    if (result && !result.error) this.#finished(kind);
  }

  #password() {
    if (this.host.editing === 'password') return changePasswordView(this.host);
    return this.#overview('password', html`<p part="row"><span part="value muted">••••••••</span></p>`, { label: this.host.i18n.t('changePassword'), click: () => this.host.edit('password') });
  }

  #identities(user: User, sources: string[]) {
    const { i18n } = this.host;
    const linked = new Set((user.identities ?? []).map((identity) => identity.provider));
    const rows = html`<ul part="rows">
      ${sources.map((source) => {
        const name = sourceName(source, i18n.language);
        const on = linked.has(source);
        const id = this.host.id_(`unlink-${source}`);
        if (this.host.confirming === `unlink:${source}`) return confirmRow(this.host, i18n.t('unlinkConfirm', { source: name }), i18n.t('unlink'), () => this.#unlink(source, name), id);
        return html`<li part="row">
          <span part="value">${name}</span>
          <span part=${on ? 'badge verified' : 'badge'}>${i18n.t(on ? 'linked' : 'notLinked')}</span>
          ${on
            ? html`<button part="button secondary danger" type="button" id=${id} @click=${() => this.#ask(`unlink:${source}`, 'identities')}>${i18n.t('unlink')}</button>`
            : html`<button part="button secondary" type="button" id=${this.host.id_(`link-${source}`)} @click=${() => this.#link(source)}>${i18n.t('link')}</button>`}
        </li>`;
      })}
    </ul>`;
    return this.#overview('identities', rows);
  }

  #ask(what: string, section: Section) {
    this.host.confirming = what;
    this.host.said = section;
    this.host.form.clear();
    this.host.form.focus(`#${this.host.id_('confirm')}`);
  }

  async #link(source: string) {
    this.host.said = 'identities';
    this.host.form.begin();
    // The page goes to the source and comes back linked (BIND_IDENTITY).
    await this.host.form.run((options) => this.host.auth.client!.linkIdentity({ provider: source }, options));
  }

  async #unlink(source: string, name: string) {
    const result = await this.host.form.run((options) => this.host.auth.client!.unlinkIdentity({ provider: source }, options));
    this.host.confirming = null;
    if (result && !result.error) {
      this.host.form.setNotice('unlinked', { source: name });
      this.host.form.focus(`#${this.host.id_(`link-${source}`)}`);
    } else this.host.form.focus(`#${this.host.id_(`unlink-${source}`)}`);
  }

  get #credentialsUrl(): string | undefined {
    return this.host.credentialsUrl || this.host.auth.client?.passkeys?.credentialsUrl || undefined;
  }

  get #canAddPasskeys(): boolean {
    return webAuthnSupported() && !!registrationUrls(this.host, this.host.auth.client?.passkeys);
  }

  #passkeys() {
    const { i18n } = this.host;
    const failed = this.#listError && wordError(this.#listError, i18n.language).message;
    const rows = this.#credentialsUrl ? passkeyRows(this.host, this.host.passkeyList, failed, (id) => this.#remove(id), (id) => this.#ask(`remove:${id}`, 'passkeys')) : nothing;
    // The list and its button one under the other, not side by side as in the other overviews.
    return this.#overview('passkeys', rows, { label: i18n.t('addPasskey'), click: () => this.#addPasskey(), warmUp: warmUpWebAuthn }, 'form');
  }

  async #addPasskey() {
    this.host.said = 'passkeys';
    this.host.confirming = null;
    const added = await addPasskey(this.host);
    if (added && this.host.auth.state.user) await this.#loadPasskeys(this.host.auth.state.user);
  }

  async #remove(id: string) {
    const url = this.#credentialsUrl;
    if (!url) return;
    const result = await this.host.form.run(async ({ signal }) => {
      const accessToken = await passkeyBearer(this.host.auth.client!);
      if (!accessToken) return { error: this.host.auth.announce(new AuthError('session_expired')) };
      const removed = await removePasskey({ http: this.host.auth.client!.http, url, accessToken, id, signal });
      return { error: removed.error && this.host.auth.announce(removed.error) };
    });
    this.host.confirming = null;
    if (result && !result.error) {
      this.host.form.setNotice('passkeyRemoved');
      this.host.form.focus(`#${this.host.id_('passkeys-action')}`);
      if (this.host.auth.state.user) await this.#loadPasskeys(this.host.auth.state.user);
    }
  }

  async #loadPasskeys(user: User) {
    const url = this.#credentialsUrl;
    const client = this.host.auth.client;
    if (!url || !client) return;
    this.#listedFor = user.id;
    const accessToken = await passkeyBearer(client);
    if (!accessToken) return;
    const listed = await listPasskeys({ http: client.http, url, accessToken });
    // Someone else signed in meanwhile: their own list is on its way.
    if (this.#listedFor !== user.id) return;
    this.#listError = listed.error;
    this.host.passkeyList = listed.data;
    this.host.requestUpdate();
  }

  /** An edit went through: close it, say so in its section, focus the button that opened it. */
  #finished(section: keyof typeof CHANGED) {
    this.host.editing = null;
    this.host.said = section;
    this.host.countdown.stop();
    this.host.form.setNotice(CHANGED[section]);
    this.host.form.focus(`#${this.host.id_(`${section}-action`)}`);
  }

  /** A fresh start: another configuration, or signed out. */
  reset(): void {
    const { host } = this;
    host.editing = null;
    host.said = null;
    host.confirming = null;
    host.passkeyList = null;
    this.#listError = null;
    this.#listedFor = '';
    host.countdown.stop();
  }
}
