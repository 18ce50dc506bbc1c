import type { Channel } from '../../contract/index.js';
import type { StepResult } from '../../core/client.js';
import { AuthFormElement } from '../base/auth-form-element.js';
import { CountdownController } from '../base/countdown-controller.js';
import type { OtpController } from '../views/otp.js';
import type * as OtpViews from './views.js';

/**
 * A one-time code by SMS or email: send, resend after a visible countdown, verify. Unknown
 * people are signed up when `create-user` is set and the backend allows it. The code input has
 * `autocomplete="one-time-code"`, and the WebOTP API fills an SMS code where the browser has it.
 * A security check the backend asks for before sending is answered here too.
 *
 * @summary One-time code sign-in by SMS or email.
 *
 * @fires auth-otp-sent - `{ channel, expiresIn }` when a code was sent.
 * @fires auth-state-change - `{ event, session }` when this element signed the person in.
 * @fires auth-error - `{ error }` when an action of this element failed; `error.message` is the text shown.
 *
 * @csspart form - The `<form>`.
 * @csspart field - A label, its input and its message.
 * @csspart label - A field's label.
 * @csspart input - A text input.
 * @csspart region - The country or region code of a phone number.
 * @csspart message - Help, the countdown, or an error tied to a field.
 * @csspart status - The status line: busy, or a calm notice.
 * @csspart error - The form's error, announced by screen readers.
 * @csspart button - The main button; also `secondary` buttons.
 * @csspart link - A text button (use another number).
 * @csspart captcha - The image of a security check the backend asked for.
 *
 * @cssproperty --auth-primary - Main colour of buttons and links.
 * @cssproperty --auth-error-color - Errors and invalid fields.
 * @cssproperty --auth-border-color - Input borders.
 * @cssproperty --auth-radius - Corner radius of inputs and buttons.
 *
 * @example
 * <auth-otp channel="sms" default-region="86"></auth-otp>
 */
export class AuthOtp extends AuthFormElement<typeof OtpViews> {
  static override properties = {
    channel: {},
    defaultRegion: { attribute: 'default-region' },
    // Absent: the backend's own default (CloudBase signs unknown people up, Tencent CIAM does not).
    createUser: {
      attribute: 'create-user',
      converter: { fromAttribute: (value: string | null) => (value === null ? undefined : value !== 'false') },
    },
  };

  /** @internal */
  static override views = () => import('./views.js');

  /** `sms` or `email`; default: the first the backend supports, SMS first. */
  declare channel?: Channel;
  /** Country calling code for phone numbers without one (default `86`). */
  declare defaultRegion: string;
  /**
   * Sign up people the backend does not know yet (CloudBase `shouldCreateUser`, CIAM
   * `auto_signup`): `create-user` or `create-user="true"` yes, `create-user="false"` no, absent:
   * the backend's default.
   */
  declare createUser?: boolean;
  /** @internal */
  readonly countdown = new CountdownController(this);
  #otp: OtpController | null = null;
  /** @internal The code form's state and actions. */
  get otp(): OtpController {
    return (this.#otp ??= new this.views.OtpController(this));
  }

  constructor() {
    super();
    this.defaultRegion = '86';
  }

  /** @internal */
  protected override renderViews(views: typeof OtpViews): unknown {
    return views.otpView(this);
  }

  // For the step views (a security check before a send): no password here, no other view.
  /** @internal */
  typed = '';
  /** @internal */
  account = '';
  /** @internal */
  go(): void {
    this.otp.restart();
  }

  /** @internal */
  afterCaptcha(result: StepResult<object>): void {
    this.otp.afterCaptcha(result);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'auth-otp': AuthOtp;
  }
  interface HTMLElementEventMap {
    'auth-otp-sent': CustomEvent<{ channel: Channel; expiresIn?: number }>;
  }
}
