// The first thing the script tag runs: it starts fetching what every element's first render
// needs (the elements' views, one chunk, and the words of the page's language) before the rest
// of the script is even evaluated, so that those requests overlap it instead of following it.
// Each is imported again, by the same specifier, where it is used: the module loads once.
import { loadLanguage, pageLanguage } from './i18n/index.js';

if (typeof document !== 'undefined') {
  void import('./components/auth-login/views.js').catch(() => {}); // an element reports it when it needs them
  void loadLanguage(pageLanguage()).catch(() => {});
}
