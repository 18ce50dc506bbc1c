// Light checks of the build's shape. The entry list checks run always; the dist/ checks are
// skipped until `npm run build` has run. Whether two copies on one page coexist is a browser
// test's job; ssr.node.test.ts imports the built entries in Node.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Script } from 'node:vm';
import { describe, it } from 'node:test';
import { ELEMENTS, ESM_ENTRIES, ROOT, SCRIPT_ENTRY } from '../../scripts/entries.mjs';
import { scriptLoads } from '../support/bundle.js';

const DIST = resolve(ROOT, 'dist');
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  module: string;
  types: string;
  unpkg: string;
  jsdelivr: string;
  customElements: string;
  sideEffects: string[];
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
};
const IIFE = resolve(DIST, `${SCRIPT_ENTRY.name}.js`);
const read = (file: string) => readFileSync(file, 'utf8');
const exportKey = (name: string) => (name === 'index' ? '.' : `./${name}`);
const sourceExists = (source: string) => existsSync(resolve(ROOT, source));

/** package.json "sideEffects" pattern → RegExp (`*` within a folder, `**` across folders). */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/^\.\//, '')
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*/g, '\0')
    .replace(/\*/g, '[^/]*')
    .replace(/\0/g, '.*');
  return new RegExp(`^${body}$`);
}
const hasSideEffects = (file: string) => pkg.sideEffects.some((glob) => globToRegExp(glob).test(file));

function distJs(): string[] {
  return readdirSync(DIST, { recursive: true })
    .map(String)
    .filter((file) => file.endsWith('.js') && !file.startsWith('types'))
    .map((file) => join(DIST, file));
}

/** Relative files an ESM file imports, transitively. */
function importGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const pattern = /^\s*(?:import|export)\b[^'"]*?["'](\.{1,2}\/[^"']+)["']/gm;
  for (const [, specifier] of read(file).matchAll(pattern)) importGraph(resolve(file, '..', specifier), seen);
  return seen;
}

/** Bare specifiers an ESM file imports. */
const bareImports = (code: string) =>
  [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?["']([^./"'][^"']*)["']/gm)].map((m) => m[1]);

describe('entry list (scripts/entries.mjs) and package.json agree', () => {
  it('every src/components/<tag>/define.ts is an element entry', () => {
    const components = resolve(ROOT, 'src/components');
    const found = readdirSync(components, { withFileTypes: true })
      .filter((dir) => dir.isDirectory() && existsSync(join(components, dir.name, 'define.ts')))
      .map((dir) => dir.name);
    assert.deepEqual(found.filter((tag) => !ELEMENTS.includes(tag)), [], 'add these tags to ELEMENTS in scripts/entries.mjs');
  });

  it('src/define.ts registers every element (its views on demand, unlike each element entry)', () => {
    const source = read(resolve(ROOT, 'src/define.ts'));
    for (const tag of ELEMENTS) {
      assert.match(source, new RegExp(`defineElement\\(\\s*['"]${tag}['"]`), `src/define.ts does not register <${tag}>`);
    }
  });

  it('every ESM entry has its "exports" subpath with types', () => {
    for (const entry of ESM_ENTRIES) {
      const target = pkg.exports[exportKey(entry.name)];
      assert.ok(target && typeof target === 'object', `package.json exports lacks "${exportKey(entry.name)}"`);
      assert.equal(target.default, `./dist/${entry.name}.js`);
      const types = `./dist/types/${entry.source.replace(/^src\//, '').replace(/\.ts$/, '.d.ts')}`;
      assert.equal(target.types, types, `exports["${exportKey(entry.name)}"].types`);
    }
    assert.equal(pkg.exports['./script'], `./dist/${SCRIPT_ENTRY.name}.js`);
  });

  it('"sideEffects" covers every module that registers a tag', () => {
    for (const file of ['src/define.ts', 'dist/define.js', SCRIPT_ENTRY.source, `dist/${SCRIPT_ENTRY.name}.js`]) {
      assert.ok(hasSideEffects(file), `package.json "sideEffects" must match ${file}`);
    }
    for (const tag of ELEMENTS) {
      for (const file of [`src/components/${tag}/define.ts`, `dist/${tag}.js`]) {
        assert.ok(hasSideEffects(file), `package.json "sideEffects" must match ${file}, or bundlers drop its registration`);
      }
    }
    assert.ok(!hasSideEffects('dist/index.js'), 'dist/index.js has no side effects');
  });
});

describe('dist/', () => {
  const skip = existsSync(resolve(DIST, 'index.js')) ? false : 'dist/ is not built: run `npm run build` first';

  it('every package.json target exists', { skip }, (t) => {
    const targets = new Map<string, string>();
    for (const field of ['main', 'module', 'types', 'unpkg', 'jsdelivr', 'customElements'] as const) targets.set(pkg[field], field);
    for (const [key, value] of Object.entries(pkg.exports)) {
      for (const [condition, target] of typeof value === 'string' ? [['default', value]] : Object.entries(value)) {
        targets.set(target, `exports["${key}"].${condition}`);
      }
    }
    const skipped = ESM_ENTRIES.filter((e) => e.optional && !sourceExists(e.source));
    const pending = (target: string) =>
      skipped.some((e) => target === `./dist/${e.name}.js` || target.startsWith(`./dist/types/${e.source.replace(/^src\//, '').replace(/\/?[^/]*\.ts$/, '')}/`));
    const missing: string[] = [];
    for (const [target, field] of targets) {
      if (existsSync(resolve(ROOT, target))) continue;
      if (pending(target)) t.diagnostic(`${field} → ${target}: not built yet (its source does not exist)`);
      else missing.push(`${field} → ${target}`);
    }
    assert.deepEqual(missing, [], 'package.json points at files the build did not write');
  });

  it('the script-tag bundle is one classic script with lit inside', { skip }, () => {
    const code = read(IIFE);
    // A classic script cannot contain import/export declarations or import.meta.
    assert.doesNotThrow(() => new Script(code, { filename: IIFE }), 'dist/auth-elements.iife.js is not a classic script');
    // What loads on demand (adapters, Chinese, WebAuthn) comes from beside the script, resolved
    // against the script's URL, never the page's (scripts/classic-script.mjs).
    assert.doesNotMatch(code, /\brequire\s*\(/, 'the IIFE requires a module');
    const loads = scriptLoads(code);
    assert.ok(loads.length >= 7, `the IIFE loads ${loads.length} chunk(s) on demand: six adapters, Chinese and WebAuthn expected`);
    for (const chunk of loads) assert.ok(existsSync(resolve(DIST, chunk)), `the IIFE loads ${chunk}, which the build did not write`);
    // Every load goes through the loader: its native import() and its fallback against the script's URL are the only two.
    assert.equal(code.match(/\bimport\(/g)?.length, 2, 'the IIFE has an import() of its own, outside the loader');
    assert.match(code.trimStart(), /^(?:\(function|\(\(\)\s*=>|!function)/, 'the IIFE declares something at top level');
    assert.match(code, /litHtmlVersions/, 'lit is not bundled into the IIFE');
    assert.match(code, /reactiveElementVersions/, '@lit/reactive-element is not bundled into the IIFE');
    assert.match(code, /context-request/, '@lit/context is not bundled into the IIFE');
    assert.doesNotMatch(code, /Lit is in dev mode/, "the IIFE bundles lit's development build");
    assert.match(code, /AuthElements/, 'the IIFE does not set window.AuthElements');
  });

  it('ESM entries import lit and @lit/context instead of bundling them', { skip }, () => {
    // React and Vue are optional peers: only the framework entries import them.
    const deps = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)];
    for (const file of distJs().filter((f) => f !== IIFE)) {
      const code = read(file);
      assert.doesNotMatch(code, /litHtmlVersions|reactiveElementVersions/, `${relative(ROOT, file)} bundles lit`);
      for (const specifier of bareImports(code)) {
        assert.ok(deps.some((d) => specifier === d || specifier.startsWith(`${d}/`)), `${relative(ROOT, file)} imports ${specifier}, not a dependency`);
      }
    }
  });

  it('tags are registered behind a customElements.get guard, in side-effect files', { skip }, () => {
    const definers = distJs().filter((file) => /customElements\.define\(/.test(read(file)));
    assert.ok(definers.includes(IIFE), 'the IIFE registers no tag');
    for (const file of definers) {
      const name = relative(ROOT, file);
      assert.match(read(file), /customElements\.get\(/, `${name} calls customElements.define without a customElements.get guard`);
      assert.ok(hasSideEffects(name), `${name} registers tags but package.json "sideEffects" does not match it`);
    }
    const fromDefine = [...importGraph(resolve(DIST, 'define.js'))];
    assert.ok(fromDefine.some((f) => definers.includes(f)), 'dist/define.js reaches no customElements.define');
    for (const tag of ELEMENTS) {
      const files = [...importGraph(resolve(DIST, `${tag}.js`))];
      assert.ok(files.some((f) => definers.includes(f)), `dist/${tag}.js reaches no customElements.define`);
    }
    const fromIndex = [...importGraph(resolve(DIST, 'index.js'))];
    assert.deepEqual(fromIndex.filter((f) => definers.includes(f)).map((f) => relative(ROOT, f)), [], 'dist/index.js must not load registration code');
  });

  it('dev-only code is compiled out, and every file has its sourcemap', { skip }, () => {
    for (const file of distJs()) {
      const code = read(file);
      const name = relative(ROOT, file);
      assert.doesNotMatch(code, /__AUTH_ELEMENTS_DEV__/, `${name}: __AUTH_ELEMENTS_DEV__ was not defined`);
      // Files made only of import/export lines (the entry facades) have nothing to map, nor has
      // the bundler's own runtime (a namespace object helper), which has no source of ours.
      if (code.startsWith('// \\0rolldown/runtime.js')) continue;
      const onlyLinks = code.split('\n').every((line) => /^\s*(?:(?:import|export)\b.*;)?\s*$/.test(line));
      if (onlyLinks) continue;
      const map = code.match(/\/\/# sourceMappingURL=(\S+)\s*$/)?.[1];
      assert.ok(map && existsSync(resolve(file, '..', map)), `${name} has no sourcemap`);
    }
  });

  it('the relay (server side) loads no lit and no element code', { skip }, () => {
    const relay = ESM_ENTRIES.find((e) => e.server);
    assert.ok(relay, 'scripts/entries.mjs names a server entry (the relay)');
    assert.ok(existsSync(resolve(DIST, `${relay.name}.js`)), `dist/${relay.name}.js was built`);
    for (const file of importGraph(resolve(DIST, `${relay.name}.js`))) {
      const code = read(file);
      const name = relative(ROOT, file);
      assert.deepEqual(bareImports(code).filter((s) => /^(?:lit|@lit\/)/.test(s)), [], `${name} (relay) imports lit`);
      assert.doesNotMatch(code, /customElements\.define\(/, `${name} (relay) registers elements`);
    }
  });
});
