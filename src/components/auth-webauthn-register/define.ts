import { defineElement } from '../base/define-element.js';
import { AuthWebauthnRegister } from './auth-webauthn-register.js';

defineElement('auth-webauthn-register', AuthWebauthnRegister);

export { AuthWebauthnRegister };
