import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { AuthError, type Channel, type PendingStep, type User } from '../../contract/index.js';
import type { StepResult } from '../../core/client.js';
import { listPasskeys, removePasskey, type PasskeyCredential } from '../../core/passkey-credentials.js';
import { registrationUrls, warmUpWebAuthn, webAuthnSupported } from '../../core/passkeys.js';
import { AuthFormElement } from '../base/auth-form-element.js';
import { wordError } from '../base/auth-controller.js';
import { CountdownController } from '../base/countdown-controller.js';
import { addPasskey, passkeyBearer } from '../base/passkey-registration.js';
import { formMessages } from '../base/templates.js';
import { changePasswordView, verifyEmailView } from '../views/account.js';
import { captchaView } from '../views/captcha.js';
import { profileStyles } from './styles.js';
import { confirmRow, contactForm, contactValue, passkeyRows, profileForm, profileRows, type Section } from '../views/profile.js';
import { sourceName } from '../views/social.js';
import { userSummary } from '../views/user.js';

/** What a finished edit of each section says. */
const CHANGED = { profile: 'profileSaved', email: 'emailChanged', phone: 'phoneChanged' } as const;

/**
 * The signed-in person's account, each section only where the backend can do it
 * (`capabilities.account`): name and picture; a new email or phone number, confirmed by the code
 * sent to it; a new password; linked social accounts (link, unlink); passkeys (list, add, remove,
 * with a passkey service: `passkeys.credentialsUrl`). One section is edited at a time, in place,
 * with Cancel; a finished edit says so and gives focus back to the button that opened it.
 * Removing a passkey or unlinking an account asks first. Renders nothing while signed out.
 *
 * @summary The account after sign-in: profile, email, phone, password, linked accounts, passkeys.
 *
 * @fires auth-state-change - `{ event, session }`: `USER_UPDATED` when this element changed the profile, email, phone; `BIND_IDENTITY` when it unlinked an account.
 * @fires auth-error - `{ error }` when an action of this element failed; `error.message` is the text shown.
 * @fires auth-passkey-registered - `{ credentialId }` when a passkey was added here.
 *
 * @csspart card - The card around everything.
 * @csspart heading - The card's heading.
 * @csspart user - Who is signed in: `avatar` (the picture or an initial), `name`, `detail`.
 * @csspart section - One section (`profile`, `email`, `phone`, `password`, `identities`, `passkeys`).
 * @csspart section-heading - A section's heading.
 * @csspart rows - A section's current values; `row` each, `value` its value.
 * @csspart badge - "Verified" / "Not verified" (`verified` when it is); "Linked" / "Not linked".
 * @csspart form - A `<form>`.
 * @csspart field - A label, its input and its message.
 * @csspart label - A field's label.
 * @csspart input - A text input.
 * @csspart message - Help, or a message tied to a field (`invalid` when it is an error).
 * @csspart status - The status line: a calm notice.
 * @csspart error - The error of the last action, announced by screen readers.
 * @csspart button - The main button of a form; also `secondary` and `danger` buttons.
 * @csspart link - A text button (Cancel).
 * @csspart captcha - The image of a security check the backend asked for.
 *
 * @cssproperty --auth-primary - Main colour of buttons and links.
 * @cssproperty --auth-surface - The card's background.
 * @cssproperty --auth-color - Text colour.
 * @cssproperty --auth-error-color - Errors, invalid fields, the Remove and Unlink buttons.
 * @cssproperty --auth-radius - Corner radius of inputs and buttons (the card doubles it).
 * @cssproperty --auth-max-width - Widest the card grows (default `32rem` here).
 *
 * @example
 * <auth-config provider="cloudbase" env="my-env" access-key="…">
 *   <auth-profile credentials-url="/passkeys/credentials"></auth-profile>
 * </auth-config>
 */
export class AuthProfile extends AuthFormElement {
  static override properties = {
    defaultRegion: { attribute: 'default-region' },
    optionsUrl: { attribute: 'options-url' },
    verifyUrl: { attribute: 'verify-url' },
    credentialsUrl: { attribute: 'credentials-url' },
    editing: { state: true },
    said: { state: true },
    confirming: { state: true },
    passkeyList: { state: true },
  };

  /** @internal */
  static override formStyles = [profileStyles];

  /** Country calling code for a new phone number typed without one (default `86`). */
  declare defaultRegion: string;
  /** Adding a passkey: POST → registration options; default `passkeys.optionsUrl`. */
  declare optionsUrl?: string;
  /** Adding a passkey: POST the attestation → `{ verified }`; default `passkeys.verifyUrl`. */
  declare verifyUrl?: string;
  /** The person's passkeys: GET the list, DELETE `{url}/{id}`; default `passkeys.credentialsUrl`. */
  declare credentialsUrl?: string;
  /** @internal The section being edited. */
  declare editing: Section | null;
  /** @internal The section the last action was about: its messages show. */
  declare said: Section | null;
  /** @internal What waits for a yes: `unlink:<source>` or `remove:<passkey id>`. */
  declare confirming: string | null;
  /** @internal The passkeys listed, once loaded. */
  declare passkeyList: PasskeyCredential[] | null;

  /** @internal */
  readonly countdown = new CountdownController(this);
  #listError: AuthError | null = null;
  /** Whose passkeys were loaded (or are loading): loaded once per person. */
  #listedFor = '';
  /** The new email or phone number a code went to, for "Resend code". */
  #contact = '';
  #lastStep: PendingStep | null = null;

  constructor() {
    super();
    this.defaultRegion = '86';
    this.editing = null;
    this.said = null;
    this.confirming = null;
    this.passkeyList = null;
    // Another configuration: a fresh start.
    this.auth.onClientChange(() => this.#reset());
  }

  /** @internal Opens a section's editor, or (`null`) closes it. */
  edit(section: Section | null): void {
    const closing = this.editing;
    this.editing = section;
    this.said = section ?? closing;
    this.confirming = null;
    this.form.clear();
    this.countdown.stop();
    this.form.focus(section ? 'first' : closing ? `#${this.id_(`${closing}-action`)}` : null);
  }

  /** @internal The views' way back (Back, and the end of a password change or an email verification). */
  go(view: 'sign-in' | 'change-password'): void {
    if (view === 'change-password') return this.edit('password');
    const section = this.editing ?? this.said;
    this.editing = null;
    if (section) this.form.focus(`#${this.id_(`${section}-action`)}`);
  }

  /** @internal For the password view: no identifier was typed here. */
  readonly account = '';

  /** @internal A change that waited for a security check went through. */
  afterCaptcha(result: StepResult<object>): void {
    const editing = this.editing;
    if ('user' in result.data && (editing === 'profile' || editing === 'email' || editing === 'phone')) this.#finished(editing);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const { status, pending } = this.auth.state;
    if (status !== 'signed-in' && (this.#listedFor || this.editing)) this.#reset();
    // An emailed link to verify the address brought the person back: the email section answers it.
    if (pending?.kind === 'verify_email') this.said = 'email';
    // A new code went out: "Resend code" waits.
    if (pending !== this.#lastStep && pending?.kind === 'verify_contact' && pending.origin === 'profile') this.countdown.start(60);
    this.#lastStep = pending;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const user = this.auth.state.user;
    if (user && this.#credentialsUrl && this.#listedFor !== user.id) void this.#loadPasskeys(user);
  }

  protected override render(): TemplateResult | typeof nothing {
    const { status, user, pending } = this.auth.state;
    if (status !== 'signed-in' || !user) return nothing;
    const account = this.auth.capabilities.account;
    const step = pending?.origin === 'profile' ? pending : null;
    const sections: TemplateResult[] = [];
    if (account?.profile.some((f) => f === 'name' || f === 'picture')) sections.push(this.#section('profile', 'profile', this.#profile(user, account.profile)));
    if (account?.email || this.auth.capabilities.verifyEmail) sections.push(this.#section('email', 'email', this.#contact_('email', user, step)));
    if (account?.phone) sections.push(this.#section('phone', 'phone', this.#contact_('phone', user, step)));
    if (account?.password) sections.push(this.#section('password', 'password', this.#password()));
    if (account?.identities.length) sections.push(this.#section('identities', 'identities', this.#identities(user, account.identities)));
    if (this.#canAddPasskeys) sections.push(this.#section('passkeys', 'passkeys', this.#passkeys()));
    return html`<div part="card" class="auth-card">
      <h2 part="heading" tabindex="-1" data-auth-status>${this.i18n.t('headingProfile')}</h2>
      <div class="auth-form"><div part="user">${userSummary(user, this.i18n.language)}</div></div>
      ${sections}
    </div>`;
  }

  #section(name: Section, title: 'profile' | 'email' | 'phone' | 'password' | 'identities' | 'passkeys', body: unknown) {
    const heading = this.id_(`${name}-heading`);
    return html`<section part="section ${name}" aria-labelledby=${heading}>
      <h3 part="section-heading" id=${heading}>${this.i18n.t(title)}</h3>
      ${body}
    </section>`;
  }

  /** The overview of a section: its rows, one button, its messages, in a form of its own. */
  #overview(name: Section, rows: unknown, action?: { label: string; click: () => void; warmUp?: () => void }, part = 'form overview') {
    return html`<form part=${part} class="auth-form" @submit=${(event: Event) => event.preventDefault()}>
      <fieldset>
        ${rows}
        ${action ? html`<div part="actions"><button part="button secondary" type="button" id=${this.id_(`${name}-action`)} @pointerenter=${action.warmUp} @focus=${action.warmUp} @click=${action.click}>${action.label}</button></div>` : nothing}
        ${formMessages(this.form, this.i18n, this.id_('error'), this.said === name)}
      </fieldset>
    </form>`;
  }

  #profile(user: User, fields: string[]) {
    if (this.editing === 'profile') return profileForm(this, user, fields, (changes) => this.#save(changes));
    return this.#overview('profile', profileRows(this, user, fields), { label: this.i18n.t('edit'), click: () => this.edit('profile') });
  }

  async #save(changes: { name?: string; picture?: string }) {
    if (!Object.keys(changes).length) return this.edit(null);
    const result = await this.form.run((options) => this.auth.client!.updateUser(changes, options));
    if (result && !result.error && !result.data.step) this.#finished('profile');
  }

  #contact_(kind: 'email' | 'phone', user: User, step: PendingStep | null) {
    const channel: Channel = kind === 'email' ? 'email' : 'sms';
    const linked = this.auth.state.pending;
    if (kind === 'email' && linked?.kind === 'verify_email') return verifyEmailView(this, linked);
    if (step && this.editing === kind && step.kind === 'captcha') return captchaView(this, step);
    const waiting = step?.kind === 'verify_contact' && step.channel === channel ? step : null;
    if (waiting || this.editing === kind) {
      return contactForm(this, kind, waiting, {
        send: (value) => this.#sendContact(kind, value),
        verify: (code) => this.#verifyContact(kind, code),
        cancel: () => {
          if (waiting) this.auth.client?.cancelStep();
          this.edit(null);
        },
      });
    }
    const current = kind === 'email' ? user.email : user.phone;
    const changeable = this.auth.capabilities.account?.[kind];
    return this.#overview(kind, html`${contactValue(this, kind, user)}${kind === 'email' ? this.#verification(user) : nothing}`, changeable ? { label: this.i18n.t(current ? 'change' : 'add'), click: () => this.edit(kind) } : undefined);
  }

  /** An address the backend can confirm by an emailed link (`capabilities.verifyEmail`), not confirmed yet. */
  #verification(user: User) {
    if (!this.auth.capabilities.verifyEmail || !user.email || user.email_verified !== false) return nothing;
    const send = async () => {
      this.said = 'email';
      this.form.begin();
      const result = await this.form.run((options) => this.auth.client!.sendEmailVerification(options));
      if (result && !result.error) this.form.setNotice('verificationEmailSent', { target: result.data.target ?? user.email ?? '' });
    };
    return html`<div part="actions"><button part="button secondary" type="button" id=${this.id_('email-verify')} @click=${send}>${this.i18n.t('sendVerificationEmail')}</button></div>`;
  }

  async #sendContact(kind: 'email' | 'phone', value: string) {
    this.#contact = value || this.#contact;
    if (!this.editing) this.editing = kind;
    const result = await this.form.run((options) => this.auth.client!.updateUser({ [kind]: this.#contact }, options));
    // Changed at once, without a code (a backend that trusts the session).
    if (result && !result.error && !result.data.step && !this.auth.state.pending) this.#finished(kind);
  }

  async #verifyContact(kind: 'email' | 'phone', code: string) {
    const result = await this.form.run((options) => this.auth.client!.verifyContact({ code }, options));
    if (result && !result.error) this.#finished(kind);
  }

  #password() {
    if (this.editing === 'password') return changePasswordView(this);
    return this.#overview('password', html`<p part="row"><span part="value muted">••••••••</span></p>`, { label: this.i18n.t('changePassword'), click: () => this.edit('password') });
  }

  #identities(user: User, sources: string[]) {
    const { i18n } = this;
    const linked = new Set((user.identities ?? []).map((identity) => identity.provider));
    const rows = html`<ul part="rows">
      ${sources.map((source) => {
        const name = sourceName(source, i18n.language);
        const on = linked.has(source);
        const id = this.id_(`unlink-${source}`);
        if (this.confirming === `unlink:${source}`) return confirmRow(this, i18n.t('unlinkConfirm', { source: name }), i18n.t('unlink'), () => this.#unlink(source, name), id);
        return html`<li part="row">
          <span part="value">${name}</span>
          <span part=${on ? 'badge verified' : 'badge'}>${i18n.t(on ? 'linked' : 'notLinked')}</span>
          ${on
            ? html`<button part="button secondary danger" type="button" id=${id} @click=${() => this.#ask(`unlink:${source}`, 'identities')}>${i18n.t('unlink')}</button>`
            : html`<button part="button secondary" type="button" id=${this.id_(`link-${source}`)} @click=${() => this.#link(source)}>${i18n.t('link')}</button>`}
        </li>`;
      })}
    </ul>`;
    return this.#overview('identities', rows);
  }

  #ask(what: string, section: Section) {
    this.confirming = what;
    this.said = section;
    this.form.clear();
    this.form.focus(`#${this.id_('confirm')}`);
  }

  async #link(source: string) {
    this.said = 'identities';
    this.form.begin();
    // The page goes to the source and comes back linked (BIND_IDENTITY).
    await this.form.run((options) => this.auth.client!.linkIdentity({ provider: source }, options));
  }

  async #unlink(source: string, name: string) {
    const result = await this.form.run((options) => this.auth.client!.unlinkIdentity({ provider: source }, options));
    this.confirming = null;
    if (result && !result.error) {
      this.form.setNotice('unlinked', { source: name });
      this.form.focus(`#${this.id_(`link-${source}`)}`);
    } else this.form.focus(`#${this.id_(`unlink-${source}`)}`);
  }

  get #credentialsUrl(): string | undefined {
    return this.credentialsUrl || this.auth.client?.passkeys?.credentialsUrl || undefined;
  }

  get #canAddPasskeys(): boolean {
    return webAuthnSupported() && !!registrationUrls(this, this.auth.client?.passkeys);
  }

  #passkeys() {
    const { i18n } = this;
    const failed = this.#listError && wordError(this.#listError, i18n.language).message;
    const rows = this.#credentialsUrl ? passkeyRows(this, this.passkeyList, failed, (id) => this.#remove(id), (id) => this.#ask(`remove:${id}`, 'passkeys')) : nothing;
    // The list and its button one under the other, not side by side as in the other overviews.
    return this.#overview('passkeys', rows, { label: i18n.t('addPasskey'), click: () => this.#addPasskey(), warmUp: warmUpWebAuthn }, 'form');
  }

  async #addPasskey() {
    this.said = 'passkeys';
    this.confirming = null;
    const added = await addPasskey(this);
    if (added && this.auth.state.user) await this.#loadPasskeys(this.auth.state.user);
  }

  async #remove(id: string) {
    const url = this.#credentialsUrl;
    if (!url) return;
    const result = await this.form.run(async ({ signal }) => {
      const accessToken = await passkeyBearer(this.auth.client!);
      if (!accessToken) return { error: this.auth.announce(new AuthError('session_expired')) };
      const removed = await removePasskey({ http: this.auth.client!.http, url, accessToken, id, signal });
      return { error: removed.error && this.auth.announce(removed.error) };
    });
    this.confirming = null;
    if (result && !result.error) {
      this.form.setNotice('passkeyRemoved');
      this.form.focus(`#${this.id_('passkeys-action')}`);
      if (this.auth.state.user) await this.#loadPasskeys(this.auth.state.user);
    }
  }

  async #loadPasskeys(user: User) {
    const url = this.#credentialsUrl;
    const client = this.auth.client;
    if (!url || !client) return;
    this.#listedFor = user.id;
    const accessToken = await passkeyBearer(client);
    if (!accessToken) return;
    const listed = await listPasskeys({ http: client.http, url, accessToken });
    // Someone else signed in meanwhile: their own list is on its way.
    if (this.#listedFor !== user.id) return;
    this.#listError = listed.error;
    this.passkeyList = listed.data;
    this.requestUpdate();
  }

  /** An edit went through: close it, say so in its section, focus the button that opened it. */
  #finished(section: keyof typeof CHANGED) {
    this.editing = null;
    this.said = section;
    this.countdown.stop();
    this.form.setNotice(CHANGED[section]);
    this.form.focus(`#${this.id_(`${section}-action`)}`);
  }

  #reset() {
    this.editing = null;
    this.said = null;
    this.confirming = null;
    this.passkeyList = null;
    this.#listError = null;
    this.#listedFor = '';
    this.countdown.stop();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-profile': AuthProfile;
  }
}
