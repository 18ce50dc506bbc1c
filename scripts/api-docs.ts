// The API reference, generated from custom-elements.json: every element the manifest lists (new
// ones included, with no change here) with its attributes, properties, methods, events, slots,
// CSS parts and CSS custom properties.
//
//   npm run docs        writes docs/api.md (also run by `npm run analyze` and `npm run build`)
//   npm start           serves the same as HTML at /api.html (renderHtml, from the manifest on disk)
//
// test/node/api-docs.node.test.ts fails when docs/api.md is stale or misses a public name.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MANIFEST_PATH = resolve(ROOT, 'custom-elements.json');
export const MARKDOWN_PATH = resolve(ROOT, 'docs', 'api.md');

interface Named {
  name: string;
  description?: string;
  summary?: string;
  type?: { text?: string };
  default?: string;
}
interface Member extends Named {
  kind: 'field' | 'method';
  privacy?: 'public' | 'private' | 'protected';
  static?: boolean;
  readonly?: boolean;
  attribute?: string;
  parameters?: Named[];
  return?: { type?: { text?: string } };
}
interface Attribute extends Named {
  fieldName?: string;
}
export interface Declaration extends Named {
  kind: string;
  tagName?: string;
  customElement?: boolean;
  attributes?: Attribute[];
  members?: Member[];
  events?: Named[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: Named[];
}
export interface Manifest {
  modules: Array<{ path: string; declarations?: Declaration[] }>;
}

/** One table of the reference: a heading, column names, and rows of plain text (code in backticks). */
export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
}

export interface ElementDoc {
  tag: string;
  className: string;
  module: string;
  summary: string;
  description: string;
  tables: Table[];
}

const code = (text: string | undefined) => (text ? `\`${text}\`` : '');
const words = (item: Named) => [item.summary, item.description].filter(Boolean).join(' ');
const isPublic = (member: Member) => !member.static && member.privacy !== 'private' && member.privacy !== 'protected' && !member.name.startsWith('#');

/** Every custom element with a tag, sorted by tag, as the reference shows it. */
export function elementDocs(manifest: Manifest): ElementDoc[] {
  const docs: ElementDoc[] = [];
  for (const module of manifest.modules) {
    for (const d of module.declarations ?? []) {
      if (!d.customElement || !d.tagName) continue;
      const members = (d.members ?? []).filter(isPublic);
      const withAttribute = new Set((d.attributes ?? []).map((a) => a.fieldName).filter(Boolean));
      docs.push({
        tag: d.tagName,
        className: d.name,
        module: module.path,
        summary: d.summary ?? '',
        description: d.description ?? '',
        tables: [
          {
            title: 'Attributes',
            columns: ['attribute', 'property', 'type', 'default', 'description'],
            rows: (d.attributes ?? []).map((a) => [code(a.name), code(a.fieldName), code(a.type?.text), code(a.default), words(a)]),
          },
          {
            title: 'Properties',
            columns: ['property', 'type', 'default', 'description'],
            rows: members
              .filter((m) => m.kind === 'field' && !m.attribute && !withAttribute.has(m.name))
              .map((m) => [code(m.name) + (m.readonly ? ' (read-only)' : ''), code(m.type?.text), code(m.default), words(m)]),
          },
          {
            title: 'Methods',
            columns: ['method', 'description'],
            rows: members
              .filter((m) => m.kind === 'method')
              .map((m) => [code(`${m.name}(${(m.parameters ?? []).map((p) => (p.type?.text ? `${p.name}: ${p.type.text}` : p.name)).join(', ')})${m.return?.type?.text ? `: ${m.return.type.text}` : ''}`), words(m)]),
          },
          { title: 'Events', columns: ['event', 'description'], rows: (d.events ?? []).map((e) => [code(e.name), words(e)]) },
          { title: 'Slots', columns: ['slot', 'description'], rows: (d.slots ?? []).map((s) => [s.name ? code(s.name) : '(default)', words(s)]) },
          { title: 'CSS parts', columns: ['part', 'description'], rows: (d.cssParts ?? []).map((p) => [code(p.name), words(p)]) },
          {
            title: 'CSS custom properties',
            columns: ['property', 'default', 'description'],
            rows: (d.cssProperties ?? []).map((p) => [code(p.name), code(p.default), words(p)]),
          },
        ],
      });
    }
  }
  return docs.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}

const HEADER = 'Generated from `custom-elements.json` by `npm run docs`: do not edit by hand. `npm start` serves the same page at `/api.html`.';

const cell = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');

export function renderMarkdown(manifest: Manifest): string {
  const docs = elementDocs(manifest);
  const out = ['# auth-elements API reference', '', HEADER, '', ...docs.map((d) => `- [\`<${d.tag}>\`](#${d.tag}): ${cell(d.summary)}`), ''];
  for (const d of docs) {
    out.push(`<a id="${d.tag}"></a>`, '', `## \`<${d.tag}>\``, '', `\`${d.className}\` in \`${d.module}\`.${d.summary ? ` ${d.summary}` : ''}`, '');
    if (d.description) out.push(d.description, '');
    for (const table of d.tables) {
      out.push(`### ${table.title}`, '');
      if (table.rows.length === 0) {
        out.push('None.', '');
        continue;
      }
      out.push(`| ${table.columns.join(' | ')} |`, `| ${table.columns.map(() => '---').join(' | ')} |`);
      for (const row of table.rows) out.push(`| ${row.map(cell).join(' | ')} |`);
      out.push('');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Plain text with `code` spans, as HTML: escaped first, so nothing in a description becomes markup. */
const inline = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');
const paragraphs = (text: string) =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${inline(p.replace(/\s*\n\s*/g, ' '))}</p>`)
    .join('\n');

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f5f7}code{font:13px ui-monospace,monospace;background:#f4f5f7;padding:0 .2rem;border-radius:3px}
h2{margin-top:2.5rem;border-bottom:1px solid #ddd}section{scroll-margin-top:1rem}.none{color:#666}`;

export function renderHtml(manifest: Manifest): string {
  const docs = elementDocs(manifest);
  const toc = docs.map((d) => `<li><a href="#${d.tag}"><code>&lt;${d.tag}&gt;</code></a>: ${inline(d.summary)}</li>`).join('\n');
  const sections = docs.map((d) => {
    const tables = d.tables
      .map((t) => {
        if (t.rows.length === 0) return `<h3>${t.title}</h3>\n<p class="none">None.</p>`;
        const head = `<tr>${t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`;
        const rows = t.rows.map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`).join('\n');
        return `<h3>${t.title}</h3>\n<table>\n<thead>${head}</thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
      })
      .join('\n');
    return `<section id="${d.tag}">\n<h2><code>&lt;${d.tag}&gt;</code></h2>\n<p><code>${d.className}</code> in <code>${escapeHtml(d.module)}</code>. ${inline(d.summary)}</p>\n${paragraphs(d.description)}\n${tables}\n</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>auth-elements API reference</title>
<style>${STYLE}</style>
</head>
<body>
<h1>auth-elements API reference</h1>
<p>${inline(HEADER)}</p>
<nav aria-label="Elements"><ul>
${toc}
</ul></nav>
${sections.join('\n')}
</body>
</html>
`;
}

export function readManifest(path = MANIFEST_PATH): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(dirname(MARKDOWN_PATH), { recursive: true });
  writeFileSync(MARKDOWN_PATH, renderMarkdown(readManifest()));
  console.log(`wrote ${MARKDOWN_PATH.slice(ROOT.length + 1)}`);
}
