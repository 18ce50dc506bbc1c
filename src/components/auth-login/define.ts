import { defineElement } from '../base/define-element.js';
import { AuthLogin } from './auth-login.js';

defineElement('auth-login', AuthLogin);

export { AuthLogin };
