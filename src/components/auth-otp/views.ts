import { css, nothing } from 'lit';
import { formBase } from '../base/document-styles.js';
import type { OtpController, OtpHost } from '../views/otp.js';
import type { LaterHost } from '../views/later.js';
import { prefetchParts, stepPart } from '../views/parts.js';
import type { StepHost } from '../views/steps.js';

// What <auth-otp> renders, loaded when the first one connects (AuthFormElement.views).
export { OtpController } from '../views/otp.js';

export const styles = [
  formBase,
  css`
    :where(auth-otp) {
      display: block;
    }
  `,
];

/** The send form, the code form, or a security check the backend asked for before sending. */
export function otpView(host: OtpHost & StepHost & LaterHost & { readonly otp: OtpController }) {
  const channel = host.otp.channel;
  const { pending } = host.auth.state;
  if (!channel || host.auth.signedIn) return nothing;
  if (pending?.origin === 'otp') return stepPart(host, pending);
  if (host.form.busy) prefetchParts();
  return host.otp.render(channel);
}
