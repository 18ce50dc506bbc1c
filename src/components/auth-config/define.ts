import { defineElement } from '../base/define-element.js';
import { AuthConfig } from './auth-config.js';

defineElement('auth-config', AuthConfig);

export { AuthConfig };
