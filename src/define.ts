// The one module that registers every tag. Each registration is guarded, so a second copy of
// auth-elements on the page (a script tag beside an app bundle) does not throw.
import './components/auth-config/define.js';
import './components/auth-login/define.js';
import './components/auth-user/define.js';
import './components/auth-profile/define.js';
import './components/auth-password/define.js';
import './components/auth-otp/define.js';
import './components/auth-social/define.js';
import './components/auth-webauthn-register/define.js';
import './components/auth-passkey/define.js';
