// The elements' styles are Lit `css` literals; a bundler minifies the JavaScript around them, not
// the CSS inside. Both builds minify each literal with Lightning CSS: no browser targets, so
// nothing is rewritten for older browsers; only whitespace, comments and redundant syntax go. A
// literal with a `${…}` substitution or a backslash, or one Lightning CSS cannot parse, is left
// exactly as written. test/node/css-literals.node.test.ts checks the built files against the source.
import { transform } from 'lightningcss';

/** A `css` tagged template without substitutions or escapes: its text is the CSS itself. */
const CSS_LITERAL = /\bcss`([^`\\$]*)`/g;

/** `source` with each plain `css` literal's CSS minified. */
export function minifyCssLiterals(source) {
  return source.replace(CSS_LITERAL, (literal, text) => {
    try {
      const minified = transform({ filename: 'literal.css', code: Buffer.from(text), minify: true }).code.toString();
      return /[`\\$]/.test(minified) ? literal : `css\`${minified}\``;
    } catch {
      return literal;
    }
  });
}

/** A Vite plugin: the components' `css` literals minified before bundling. */
export function minifyCss() {
  return {
    name: 'auth-elements:minify-css-literals',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0];
      if (!/[\\/]src[\\/]components[\\/].*\.ts$/.test(file) || !code.includes('css`')) return null;
      return { code: minifyCssLiterals(code), map: null };
    },
  };
}
