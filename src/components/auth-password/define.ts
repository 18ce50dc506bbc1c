import { defineElement } from '../base/define-element.js';
import { AuthPassword } from './auth-password.js';

defineElement('auth-password', AuthPassword);

export { AuthPassword };
