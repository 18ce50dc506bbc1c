// The API reference (docs/api.md, and the /api.html page `npm start` serves) is generated from
// custom-elements.json, which manifest.node.test.ts keeps in step with the source. This fails when
// the committed reference is stale, or when a public name of any element the manifest lists (new
// elements included) is missing from either rendering.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MARKDOWN_PATH, elementDocs, readManifest, renderHtml, renderMarkdown, type Manifest } from '../../scripts/api-docs.js';

const STALE = 'docs/api.md is stale: run `npm run docs` (or `npm run analyze`) and commit the result';

interface Element {
  tagName: string;
  attributes?: { name: string }[];
  events?: { name: string }[];
  slots?: { name: string }[];
  cssParts?: { name: string }[];
  cssProperties?: { name: string }[];
}

const elementsOf = (manifest: Manifest) =>
  manifest.modules.flatMap((m) => m.declarations ?? []).filter((d): d is typeof d & Element => Boolean(d.customElement && d.tagName));

/** Each element's public names, by kind, as the manifest lists them. */
function publicNames(element: Element): Array<[kind: string, name: string]> {
  return [
    ...(element.attributes ?? []).map((a): [string, string] => ['attribute', a.name]),
    ...(element.events ?? []).map((e): [string, string] => ['event', e.name]),
    ...(element.slots ?? []).filter((s) => s.name).map((s): [string, string] => ['slot', s.name]),
    ...(element.cssParts ?? []).map((p): [string, string] => ['part', p.name]),
    ...(element.cssProperties ?? []).map((p): [string, string] => ['CSS property', p.name]),
  ];
}

/** The part of a rendering about one element: from its anchor to the next element's. */
function section(text: string, tag: string, tags: string[], anchor: (t: string) => string): string {
  const start = text.indexOf(anchor(tag));
  assert.notEqual(start, -1, `<${tag}> has no section`);
  const ends = tags.map((t) => text.indexOf(anchor(t))).filter((i) => i > start);
  return text.slice(start, ends.length ? Math.min(...ends) : undefined);
}

function assertComplete(manifest: Manifest, text: string, anchor: (tag: string) => string, what: string) {
  const elements = elementsOf(manifest);
  const tags = elements.map((e) => e.tagName);
  for (const element of elements) {
    const part = section(text, element.tagName, tags, anchor);
    for (const [kind, name] of publicNames(element)) {
      assert.ok(part.includes(`\`${name}\``) || part.includes(`<code>${name}</code>`), `${what}: the ${kind} ${name} of <${element.tagName}> is missing`);
    }
  }
}

const mdAnchor = (tag: string) => `<a id="${tag}"></a>`;
const htmlAnchor = (tag: string) => `<section id="${tag}">`;

describe('API reference', () => {
  const manifest = readManifest();

  it('docs/api.md is what `npm run docs` writes from the committed manifest', () => {
    let committed = '';
    try {
      committed = readFileSync(MARKDOWN_PATH, 'utf8');
    } catch (error) {
      assert.fail(`${STALE} (cannot read it: ${(error as Error).message})`);
    }
    assert.ok(committed === renderMarkdown(manifest), STALE);
  });

  it('lists every element of the manifest, each with every attribute, event, slot, part and CSS property (Markdown and HTML)', () => {
    assert.deepEqual(elementDocs(manifest).map((d) => d.tag), elementsOf(manifest).map((e) => e.tagName).sort());
    assert.ok(elementsOf(manifest).length >= 6, 'the manifest lists the elements');
    assertComplete(manifest, readFileSync(MARKDOWN_PATH, 'utf8'), mdAnchor, 'docs/api.md');
    assertComplete(manifest, renderHtml(manifest), htmlAnchor, '/api.html');
  });

  it('picks up a new element with no change to the generator', () => {
    const added: Manifest = structuredClone(manifest);
    added.modules.push({
      path: 'src/components/auth-new/auth-new.ts',
      declarations: [
        {
          kind: 'class',
          name: 'AuthNew',
          tagName: 'auth-new',
          customElement: true,
          summary: 'A new element.',
          attributes: [{ name: 'new-attribute', fieldName: 'newAttribute' }],
          events: [{ name: 'auth-new-event' }],
          cssParts: [{ name: 'new-part' }],
          cssProperties: [{ name: '--auth-new' }],
          slots: [{ name: 'new-slot' }],
        },
      ],
    });
    assertComplete(added, renderMarkdown(added), mdAnchor, 'markdown');
    assertComplete(added, renderHtml(added), htmlAnchor, 'html');
    assert.ok(renderMarkdown(added).includes('[`<auth-new>`](#auth-new)'), 'in the contents');
  });

  it('a missing attribute is noticed (the check can fail)', () => {
    const text = renderMarkdown(manifest);
    const [element] = elementsOf(manifest).filter((e) => (e.attributes ?? []).length > 0);
    const name = element!.attributes![0]!.name;
    const without = text.split('\n').filter((line) => !line.startsWith(`| \`${name}\``)).join('\n');
    assert.throws(() => assertComplete(manifest, without, mdAnchor, 'mutated'), new RegExp(`attribute ${name} of <${element!.tagName}>`));
  });

  it('HTML: descriptions are text, never markup', () => {
    const hostile: Manifest = {
      modules: [{ path: 'x.ts', declarations: [{ kind: 'class', name: 'X', tagName: 'auth-x', customElement: true, summary: '<img src=x onerror=alert(1)> `<b>`' }] }],
    };
    const html = renderHtml(hostile);
    assert.ok(!html.includes('<img'), 'no element from a description');
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt; <code>&lt;b&gt;</code>'));
  });
});
