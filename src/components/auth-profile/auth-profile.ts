import type { PropertyValues } from 'lit';
import type { StepResult } from '../../core/client.js';
import type { PasskeyCredential } from '../../core/passkey-credentials.js';
import { AuthFormElement } from '../base/auth-form-element.js';
import { CountdownController } from '../base/countdown-controller.js';
import type { Section } from '../views/profile.js';
import type * as ProfileViews from './views.js';
import type { ProfileSections } from './views.js';

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
export class AuthProfile extends AuthFormElement<typeof ProfileViews> {
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
  static override views = () => import('./views.js');

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
  #sections: ProfileSections | null = null;
  /** The sections and their actions, from the views. */
  get #ui(): ProfileSections {
    return (this.#sections ??= new this.views.ProfileSections(this));
  }

  constructor() {
    super();
    this.defaultRegion = '86';
    this.editing = null;
    this.said = null;
    this.confirming = null;
    this.passkeyList = null;
    // Another configuration: a fresh start.
    this.auth.onClientChange(() => this.#sections?.reset());
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
    this.#ui.afterCaptcha(result);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (this.viewsReady) this.#ui.willUpdate();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (this.viewsReady) this.#ui.updated();
  }

  /** @internal */
  protected override renderViews(): unknown {
    return this.#ui.render();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-profile': AuthProfile;
  }
}
