// The script-tag bundle: every element defined, the API on `window.AuthElements`.
import './script-preload.js';
import './define.js';
import * as api from './script-api.js';

declare global {
  interface Window {
    AuthElements: typeof api;
  }
}

if (typeof window !== 'undefined') window.AuthElements ??= api;
