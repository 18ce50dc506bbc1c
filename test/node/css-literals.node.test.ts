// The elements' `css` literals are minified by both builds (scripts/css-literals.mjs): each one,
// as the builds ship it, with nothing left as written by accident.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, SCRIPT_CHUNKS, SCRIPT_ENTRY } from '../../scripts/entries.mjs';
import { minifyCssLiterals } from '../../scripts/css-literals.mjs';

const DIST = resolve(ROOT, 'dist');
const built = existsSync(resolve(DIST, `${SCRIPT_ENTRY.name}.js`)) ? false : 'dist/ is not built: run npm run build';

/** The .ts files under `dir`, tests excluded. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = resolve(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.includes('.test.') ? [path] : [];
  });
}

const literals = (code: string) => [...code.matchAll(/\bcss`([^`]*)`/g)].map((match) => match[1]!);
const COMPONENTS = sources(resolve(ROOT, 'src/components')).filter((file) => readFileSync(file, 'utf8').includes('css`'));

describe('css literals are minified in the builds', () => {
  test('a plain literal loses its whitespace and comments; one with a substitution, or that does not parse, stays as written', () => {
    assert.equal(minifyCssLiterals('css`\n  :host {\n    /* a note */\n    display: block;\n  }\n`'), 'css`:host{display:block}`');
    const substituted = 'css`:host { color: ${unsafeCSS(colour)}; }`';
    assert.equal(minifyCssLiterals(substituted), substituted);
    const broken = 'css`a:::b { color: red; }`'; // a selector Lightning CSS refuses
    assert.equal(minifyCssLiterals(broken), broken);
  });

  test('every literal of the elements minifies (none is left as written)', () => {
    assert.ok(COMPONENTS.length >= 5, 'the elements have their css literals where this test looks');
    for (const file of COMPONENTS) {
      const code = readFileSync(file, 'utf8');
      const before = literals(code);
      const after = literals(minifyCssLiterals(code));
      before.forEach((text, index) => assert.ok(after[index]!.length < text.length, `${file}: literal ${index + 1} minifies`));
    }
  });

  test('both builds ship each literal minified', { skip: built }, () => {
    const read = (dir: string) =>
      readdirSync(dir)
        .filter((name) => name.endsWith('.js'))
        .map((name) => readFileSync(resolve(dir, name), 'utf8'))
        .join('\n');
    const script = `${readFileSync(resolve(DIST, `${SCRIPT_ENTRY.name}.js`), 'utf8')}\n${read(resolve(DIST, SCRIPT_CHUNKS))}`;
    const esm = `${read(DIST)}\n${read(resolve(DIST, 'chunks'))}`;
    for (const file of COMPONENTS) {
      for (const text of literals(minifyCssLiterals(readFileSync(file, 'utf8')))) {
        assert.ok(script.includes(text), `${file}: the script tag ships "${text.slice(0, 40)}…"`);
        assert.ok(esm.includes(text), `${file}: the ESM build ships "${text.slice(0, 40)}…"`);
      }
    }
  });
});
