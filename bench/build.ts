// Prepares what the benchmark measures, in a scratch directory (dist/ is only read):
//   - the script-tag bundle as `npm run build` made it (dist/auth-elements.iife.js, dist/script/);
//   - one small app per page (bench/apps/*.ts), bundled the way a user's app would be: vite app
//     build, ESM, minified, lit bundled in, dev warnings stripped, one build per app so that
//     nothing is shared between them; `auth-elements/…` resolves to dist/ through "exports".
// Sizes are minified bytes, gzip (level 9) and brotli (quality 11) of every file the app loads
// before it runs (initial) and of what it can import later (lazy).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import { ROOT, SCRIPT_CHUNKS, SCRIPT_ENTRY } from '../scripts/entries.mjs';

export interface App {
  /** Page and output folder name. */
  id: string;
  label: string;
  /** bench/apps/<entry>.ts */
  entry: string;
}

export interface Size {
  min: number;
  gzip: number;
  brotli: number;
}

export interface Built {
  id: string;
  /** Files served under /<id>/ (the first is the entry). */
  files: string[];
  initial: Size;
  lazy: Size;
  lazyFiles: number;
  /** Rendered (pre-minification) bytes per source group, to tell where the bytes go. */
  groups: Map<string, number>;
  /** Module ids (relative to the repository) in the initial files. */
  initialModules: string[];
  /** The entry's static imports, transitively (files under /<id>/): what Vite's index.html preloads. */
  preload: string[];
}

const sum = (sizes: Size[]): Size => sizes.reduce((a, b) => ({ min: a.min + b.min, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { min: 0, gzip: 0, brotli: 0 });

export function sizeOf(code: Buffer | string): Size {
  const buffer = Buffer.isBuffer(code) ? code : Buffer.from(code);
  return {
    min: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length } }).length,
  };
}

/** lit / @lit/context / src/<area>/<folder>: the buckets of the "where the bytes go" note. */
function groupOf(id: string): string {
  const path = relative(ROOT, id.replace(/^\0/, '').split('?')[0]!);
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return ['lit', 'lit-html', 'lit-element', '@lit/reactive-element'].includes(pkg[1]!) ? 'lit' : pkg[1]!;
  const parts = path.split('/');
  if (parts[0] === 'src') {
    if (parts[1] === 'providers') return parts.length > 3 ? `providers/${parts[2]}` : `providers/${parts[2]!.replace(/\.ts$/, '')}`;
    if (parts[1] === 'components') return `components/${parts[2]}`;
    if (parts[1] === 'core') return `core/${parts[2]!.replace(/\.ts$/, '')}`;
    return parts.length > 2 ? parts[1]! : parts[1]!.replace(/\.ts$/, '');
  }
  return parts[0] === 'bench' ? 'bench app' : path;
}

function summarize(id: string, dir: string, output: Rolldown.RolldownOutput['output']): Built {
  const chunks = output.filter((item): item is Rolldown.OutputChunk => item.type === 'chunk');
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const entry = chunks.find((chunk) => chunk.isEntry)!;
  // Initial: the entry and its static imports, transitively. Lazy: the rest.
  const initial = new Set<string>();
  const visit = (name: string) => {
    if (initial.has(name)) return;
    initial.add(name);
    for (const next of byName.get(name)?.imports ?? []) visit(next);
  };
  visit(entry.fileName);
  const groups = new Map<string, number>();
  for (const chunk of chunks) {
    for (const [moduleId, info] of Object.entries(chunk.modules)) {
      const group = groupOf(moduleId);
      groups.set(group, (groups.get(group) ?? 0) + info.renderedLength);
    }
  }
  const sizes = (names: string[]) => sum(names.map((name) => sizeOf(readFileSync(resolve(dir, name)))));
  const lazyNames = chunks.map((chunk) => chunk.fileName).filter((name) => !initial.has(name));
  return {
    id,
    files: [entry.fileName, ...chunks.map((chunk) => chunk.fileName).filter((name) => name !== entry.fileName)],
    initial: sizes([...initial]),
    lazy: sizes(lazyNames),
    lazyFiles: lazyNames.length,
    groups,
    initialModules: chunks.filter((chunk) => initial.has(chunk.fileName)).flatMap((chunk) => Object.keys(chunk.modules).map((id) => relative(ROOT, id))),
    preload: [...initial].filter((name) => name !== entry.fileName),
  };
}

const asOutput = (result: unknown): Rolldown.RolldownOutput => (Array.isArray(result) ? result[0] : result) as Rolldown.RolldownOutput;

/**
 * The script-tag bundle as `npm run build` made it (dist/auth-elements.iife.js and the chunks it
 * loads on demand, dist/script/), copied to `<scratch>/iife/`. Initial: the script itself; lazy:
 * every chunk (which ones a page loads is measured in the browser).
 */
export function copyScriptTag(scratch: string): Built {
  const dist = resolve(ROOT, 'dist');
  const entry = `${SCRIPT_ENTRY.name}.js`;
  if (!existsSync(resolve(dist, entry)) || !existsSync(resolve(dist, SCRIPT_CHUNKS))) throw new Error(`dist/${entry} or dist/${SCRIPT_CHUNKS}/ is missing: run npm run build`);
  const outDir = resolve(scratch, 'iife');
  mkdirSync(outDir, { recursive: true });
  cpSync(resolve(dist, entry), resolve(outDir, entry));
  cpSync(resolve(dist, SCRIPT_CHUNKS), resolve(outDir, SCRIPT_CHUNKS), { recursive: true, filter: (file) => !file.endsWith('.map') });
  const chunks = readdirSync(resolve(outDir, SCRIPT_CHUNKS)).filter((name) => name.endsWith('.js')).map((name) => `${SCRIPT_CHUNKS}/${name}`);
  const sizes = (names: string[]) => sum(names.map((name) => sizeOf(readFileSync(resolve(outDir, name)))));
  return { id: 'iife', files: [entry, ...chunks], initial: sizes([entry]), lazy: sizes(chunks), lazyFiles: chunks.length, groups: new Map(), initialModules: [], preload: [] };
}

/** One app, bundled alone as an application would be. */
export function buildApp(scratch: string, app: App): Promise<Built> {
  return buildEntry(app.id, resolve(scratch, app.id), resolve(ROOT, 'bench/apps', `${app.entry}.ts`));
}

/** Our card as a page drew it: its light DOM (Lit's markers removed) and the document's adopted styles. */
export interface CapturedCard {
  tag: string;
  markup: string;
  css: string;
}

/**
 * The bare Lit card: a Lit element named like ours that draws `card` as one static template,
 * its styles adopted by the document as ours are; no client, no words, no chunks. Built as the
 * apps are (its source is written inside the repository, so that `lit` resolves, and removed).
 */
export async function buildCard(scratch: string, id: string, card: CapturedCard): Promise<Built> {
  const dir = mkdtempSync(join(ROOT, 'bench/.card-'));
  try {
    const entry = join(dir, 'card.js');
    const markup = card.markup.replace(/[\\`]|\$\{/g, (found) => `\\${found}`);
    writeFileSync(
      entry,
      [
        "import { LitElement, html } from 'lit';",
        'const sheet = new CSSStyleSheet();',
        `sheet.replaceSync(${JSON.stringify(card.css)});`,
        'class BareCard extends LitElement {',
        '  createRenderRoot() { return this; }',
        '  connectedCallback() { document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; super.connectedCallback(); }',
        `  render() { return html\`${markup}\`; }`,
        '}',
        `customElements.define(${JSON.stringify(card.tag)}, BareCard);`,
      ].join('\n'),
    );
    return await buildEntry(id, resolve(scratch, id), entry);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `input` bundled alone into `outDir` as an application would be (a file inside the repository resolves `auth-elements/…` to dist/). */
export async function buildEntry(id: string, outDir: string, input: string): Promise<Built> {
  const result = await build({
    configFile: false,
    // Served under /<id>/ (bench/server.ts): where the preload links of its chunks point.
    base: `/${id}/`,
    root: ROOT,
    publicDir: false,
    logLevel: 'silent',
    mode: 'production',
    define: { __AUTH_ELEMENTS_DEV__: 'false' },
    build: {
      target: 'es2022',
      outDir,
      emptyOutDir: true,
      write: true,
      minify: true,
      sourcemap: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      // Vite's default for an app: a dynamic import fetches the chunks it needs at once (no waterfall).
      modulePreload: { polyfill: false },
      rolldownOptions: {
        input,
        output: { entryFileNames: 'app.js', chunkFileNames: 'chunk-[hash].js', format: 'es' },
      },
    },
  });
  return summarize(id, outDir, asOutput(result).output);
}
