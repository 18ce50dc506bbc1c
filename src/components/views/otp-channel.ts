import type { Channel } from '../../contract/index.js';

/** The channel codes go out on: the one asked for where the backend sends there, else SMS, else email; null: none. */
export function otpChannel(supported: readonly Channel[], wanted: Channel | undefined): Channel | null {
  if (wanted && supported.includes(wanted)) return wanted;
  return supported.includes('sms') ? 'sms' : supported.includes('email') ? 'email' : null;
}
