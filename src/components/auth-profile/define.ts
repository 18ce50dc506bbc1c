// `auth-elements/auth-profile`: the element with its views and the English words in one file (no
// request before its first render); the script tag and `auth-elements/define` load those on demand.
import { addMoreWords, addWords } from '../../i18n/index.js';
import { en } from '../../i18n/en.js';
import { enMore } from '../../i18n/en-more.js';
import { provideViews } from '../base/auth-form-element.js';
import { defineElement } from '../base/define-element.js';
import { AuthProfile } from './auth-profile.js';
import * as views from './views.js';

addWords('en', en);
addMoreWords('en', enMore);
provideViews(AuthProfile, views);
defineElement('auth-profile', AuthProfile);

export { AuthProfile };
