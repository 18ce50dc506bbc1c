// What <auth-login> and <auth-password> show only after a first step, as one chunk loaded on first
// use (views/parts.ts): the steps' views, and the forms a link leads to (sign-up, a forgotten
// password, a new password once signed in).
export { stepStyles as styles, stepView } from './steps.js';
export { changePasswordView, forgotView, signUpView } from './forms.js';
