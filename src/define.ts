// The one module that registers every tag (`auth-elements/define`, and the script tag through
// src/script.ts). Each element's views load on demand here, one chunk for all of them, as the
// English words do; an element's own entry (`auth-elements/auth-login`, …) ships them with it
// instead. Each registration is guarded, so a second copy of auth-elements on the page (a script
// tag beside an app bundle) does not throw.
import { AuthConfig } from './components/auth-config/auth-config.js';
import { AuthLogin } from './components/auth-login/auth-login.js';
import { AuthOtp } from './components/auth-otp/auth-otp.js';
import { AuthPasskey } from './components/auth-passkey/auth-passkey.js';
import { AuthPassword } from './components/auth-password/auth-password.js';
import { AuthProfile } from './components/auth-profile/auth-profile.js';
import { AuthSocial } from './components/auth-social/auth-social.js';
import { AuthUser } from './components/auth-user/auth-user.js';
import { AuthWebauthnRegister } from './components/auth-webauthn-register/auth-webauthn-register.js';
import { defineElement } from './components/base/define-element.js';

defineElement('auth-config', AuthConfig);
defineElement('auth-login', AuthLogin);
defineElement('auth-user', AuthUser);
defineElement('auth-profile', AuthProfile);
defineElement('auth-password', AuthPassword);
defineElement('auth-otp', AuthOtp);
defineElement('auth-social', AuthSocial);
defineElement('auth-webauthn-register', AuthWebauthnRegister);
defineElement('auth-passkey', AuthPasskey);
