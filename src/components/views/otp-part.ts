import type { Channel } from '../../contract/index.js';
import { later, type LaterHost } from './later.js';
import type { OtpController, OtpHost } from './otp.js';

/** What `<auth-login>` keeps of its one-time-code form: the controller, made once the code is here. */
export interface OtpPartHost extends OtpHost, LaterHost {
  otp: OtpController | null;
}

const code = later(() => import('./otp.js'));

/**
 * `<auth-login>`'s one-time-code form: a chunk of its own (`<auth-otp>` shows it first and
 * carries it), loaded when its tab is pointed at, focused or opened, as the forms behind a link
 * are; the tab list stays above it, so offline the password tab is still one click away.
 */
export function otpPart(host: OtpPartHost, channel: Channel): unknown {
  return code(host, (module) => (host.otp ??= new module.OtpController(host)).render(channel));
}

/** Starts loading the form: the person is pointing at its tab. */
export const prefetchOtp = code.prefetch;
