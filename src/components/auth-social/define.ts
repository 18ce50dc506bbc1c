import { defineElement } from '../base/define-element.js';
import { AuthSocial } from './auth-social.js';

defineElement('auth-social', AuthSocial);

export { AuthSocial };
