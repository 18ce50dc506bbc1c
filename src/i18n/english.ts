// The ESM index's formatters. `describeError` and `formatDuration` answer at once, so an app
// that imports them gets the English words with them (each call makes sure they are there); the
// client and the elements load words as a chunk (i18n/index.ts), and the script tag does not
// export these.
import { en } from './en.js';
import { addWords, describeError as describe, formatDuration as format } from './index.js';

/** The sentence for an error in `language` (see i18n/index.ts). */
export const describeError: typeof describe = (...args) => (addWords('en', en), describe(...args));

/** A duration as people say it in `language` (see i18n/index.ts). */
export const formatDuration: typeof format = (...args) => (addWords('en', en), format(...args));
