// The framework entries (auth-elements/react, auth-elements/vue) and their table
// (src/frameworks/elements.ts): the table names every element of scripts/entries.mjs with exactly
// the events and public properties custom-elements.json documents, and what ships stays where it
// belongs (React and Vue out of the script-tag bundle, @lit/react inside dist/react.js only).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ELEMENTS, ROOT, SCRIPT_ENTRY } from '../../scripts/entries.mjs';
import { ELEMENT_API, eventPropOf } from '../../src/frameworks/elements.js';
import { isCustomElement } from '../../src/vue/index.js';

interface Member {
  kind: string;
  name: string;
  static?: boolean;
  readonly?: boolean;
  privacy?: string;
  attribute?: string;
  inheritedFrom?: { name: string };
}
interface Declaration {
  name: string;
  tagName?: string;
  members?: Member[];
  events?: { name: string }[];
}

const manifest = JSON.parse(readFileSync(resolve(ROOT, 'custom-elements.json'), 'utf8')) as { modules: { declarations?: Declaration[] }[] };
const declarations = manifest.modules.flatMap((m) => m.declarations ?? []);
const table = ELEMENT_API as Record<string, { events: readonly string[]; props: Record<string, string | null>; settings?: Record<string, string> }>;
const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
const sorted = (values: Iterable<string>) => [...values].sort();

describe('the framework table (src/frameworks/elements.ts)', () => {
  it('names every element of scripts/entries.mjs, and no other', () => {
    assert.deepEqual(sorted(Object.keys(table)), sorted(ELEMENTS), 'add a line for the element to ELEMENT_API');
  });

  for (const tag of Object.keys(table)) {
    it(`<${tag}>: the events and public properties of custom-elements.json`, () => {
      const declaration = declarations.find((d) => d.tagName === tag);
      assert.ok(declaration, `custom-elements.json has no <${tag}>`);
      const row = table[tag]!;
      assert.deepEqual(sorted(row.events), sorted((declaration.events ?? []).map((e) => e.name)), `<${tag}>: events`);
      // Writable public fields: what a framework may set. `lang` is HTMLElement's own.
      const members = (declaration.members ?? []).filter(
        (m) => m.kind === 'field' && !m.static && !m.readonly && (m.privacy ?? 'public') === 'public' && m.name !== 'lang',
      );
      const listed = Object.keys(row.props);
      const settings = members.filter((m) => !listed.includes(m.name));
      if (!row.settings) assert.deepEqual(settings.map((m) => m.name), [], `<${tag}>: public properties missing from its row`);
      for (const name of listed) {
        const member = members.find((m) => m.name === name);
        assert.ok(member, `<${tag}>: the row lists "${name}", which custom-elements.json does not document`);
        assert.equal(row.props[name], member.attribute ?? null, `<${tag}>.${name}: attribute`);
      }
      // The backend settings of <auth-config>: kebab-case attributes but for the listed ones.
      for (const member of settings) assert.equal(member.attribute, row.settings?.[member.name] ?? kebab(member.name), `<${tag}>.${member.name}: attribute`);
    });
  }

  it('maps event names to camel-case listener props', () => {
    assert.equal(eventPropOf('auth-state-change'), 'onAuthStateChange');
    assert.equal(eventPropOf('auth-passkey-registered'), 'onAuthPasskeyRegistered');
  });

  it("auth-elements/vue's isCustomElement: the package's tags, and nothing else", () => {
    for (const tag of ELEMENTS) assert.equal(isCustomElement(tag), true, tag);
    for (const tag of ['auth-unknown', 'div', 'router-view', 'AuthLogin']) assert.equal(isCustomElement(tag), false, tag);
  });
});

describe('what the framework entries ship', () => {
  const DIST = resolve(ROOT, 'dist');
  const skip = existsSync(resolve(DIST, 'react.js')) ? false : 'dist/ is not built: run `npm run build` first';
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));

  it('the script-tag bundle holds no React, Vue or framework code', { skip }, () => {
    const map = JSON.parse(readFileSync(resolve(DIST, `${SCRIPT_ENTRY.name}.js.map`), 'utf8')) as { sources: string[] };
    const found = map.sources.filter((s) => /node_modules\/(?:react|react-dom|vue|@vue|@lit\/react)\/|src\/(?:react|vue|frameworks)\//.test(s));
    assert.deepEqual(found, [], `dist/${SCRIPT_ENTRY.name}.js bundles framework code`);
  });

  it('React and Vue are optional peers; @lit/react is bundled into dist/react.js, not a dependency', { skip }, () => {
    for (const name of ['react', 'vue']) {
      assert.ok(pkg.peerDependencies?.[name], `${name} is a peer dependency`);
      assert.equal(pkg.peerDependenciesMeta?.[name]?.optional, true, `${name} is an optional peer`);
      assert.equal(pkg.dependencies[name], undefined, `${name} is no dependency`);
    }
    assert.equal(pkg.dependencies['@lit/react'], undefined, '@lit/react is no dependency');
    assert.match(readFileSync(resolve(DIST, 'react.js'), 'utf8'), /@lit\/react\/create-component/, '@lit/react is bundled into dist/react.js');
    // The shipped typings must not need it either.
    const types = readdirSync(resolve(DIST, 'types'), { recursive: true }).map(String).filter((f) => f.endsWith('.d.ts'));
    const needing = types.filter((f) => readFileSync(join(DIST, 'types', f), 'utf8').includes('@lit/react'));
    assert.deepEqual(needing, [], 'typings that import @lit/react');
  });
});
