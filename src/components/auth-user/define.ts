import { defineElement } from '../base/define-element.js';
import { AuthUser } from './auth-user.js';

defineElement('auth-user', AuthUser);

export { AuthUser };
