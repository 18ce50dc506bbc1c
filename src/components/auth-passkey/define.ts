import { defineElement } from '../base/define-element.js';
import { AuthPasskey } from './auth-passkey.js';

defineElement('auth-passkey', AuthPasskey);

export { AuthPasskey };
