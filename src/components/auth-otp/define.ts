import { defineElement } from '../base/define-element.js';
import { AuthOtp } from './auth-otp.js';

defineElement('auth-otp', AuthOtp);

export { AuthOtp };
