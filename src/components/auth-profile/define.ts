import { defineElement } from '../base/define-element.js';
import { AuthProfile } from './auth-profile.js';

defineElement('auth-profile', AuthProfile);

export { AuthProfile };
