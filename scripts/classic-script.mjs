// The script-tag bundle is one classic script (`<script src>`, no `type="module"`) that defines
// every element and sets window.AuthElements at once; what loads on demand (each backend's
// adapter, the Chinese words, @simplewebauthn/browser) are ES modules beside it. Rolldown cannot
// split an IIFE, so vite.config.ts builds the script as ESM with code splitting, and this plugin
// turns the entry chunk back into a classic script:
//   - the entry runs inside a function (no global name but window.AuthElements);
//   - what the lazy chunks use from the entry is handed to them on a global keyed by a hash of
//     this build's modules (two copies of one build share it; another build has its own);
//   - the entry's `import("./script/…")` resolve against the script's own URL, never the page's:
//     first natively (a classic script's base URL is its response URL, after a CDN's redirect),
//     and where a browser gives none (Chromium, for a script from another origin without
//     `crossorigin`: "the base URL is about:blank") against document.currentScript.src;
//   - a lazy chunk's `import { a as b } from "../auth-elements.iife.js"` becomes
//     `const { a: b } = <that global>`;
//   - every dynamic import, the entry's and the chunks', goes through one loader that, after a
//     chunk failed to load (offline), asks for it again as `<chunk>.js?retry=<n>`: Chromium and
//     Firefox remember a failed module by its URL and never fetch that URL again, so "Try again"
//     and the next action could otherwise not recover without a reload.
// Dynamic import() is no Trusted Types sink, and the chunks come from where the script came
// from, so a strict CSP (script-src 'self') that allows the script allows them.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import MagicString from 'magic-string';
import { parseAst } from 'vite';

/** The function the entry's dynamic imports go through (declared by the wrapper). */
const IMPORT = '__authElementsImport';
/** The loader both the entry's and the chunks' dynamic imports go through (on the shared global). */
const LOAD = '__authElementsLoad';

/**
 * @param {{ entry: string }} options `entry`: the entry's file name (`auth-elements.iife.js`).
 * @returns {import('vite').Plugin}
 */
export function classicScript({ entry }) {
  let key = '';
  return {
    name: 'auth-elements:classic-script',
    renderStart() {
      key = '';
    },
    renderChunk(code, chunk) {
      key ||= buildKey(this);
      const shared = `globalThis[Symbol.for(${JSON.stringify(key)})]`;
      const s = new MagicString(code);
      const ast = parseAst(code);
      if (chunk.fileName === entry) rewriteEntry(ast, s, shared, code);
      else rewriteLazy(ast, s, shared, posix.relative(posix.dirname(chunk.fileName), entry));
      return { code: s.toString(), map: s.generateMap({ hires: 'boundary' }) };
    },
  };
}

/** The wrapper around the minified entry (rolldown's postBanner / postFooter). */
export const classicWrapper = {
  // LOAD(i, u): `i(u)`, or after n failures of that file `i(u + "?retry=n")`, counted by file name.
  postBanner: (chunk) =>
    chunk.isEntry
      ? `(function(){var ${IMPORT}Src=typeof document<"u"&&document.currentScript&&document.currentScript.src,${LOAD}Failed={};` +
        `function ${LOAD}(i,u){var f=u.slice(u.lastIndexOf("/")+1),n=${LOAD}Failed[f]|0;return i(n?u+"?retry="+n:u).catch(function(e){${LOAD}Failed[f]=n+1;throw e})}` +
        `function ${IMPORT}(u){return ${LOAD}(function(v){return import(v).catch(function(e){if(!${IMPORT}Src)throw e;return import(new URL(v,${IMPORT}Src).href)})},u)}\n`
      : '',
  postFooter: (chunk) => (chunk.isEntry ? '\n})();' : ''),
};

/** A hash of every module of this build, so that chunks of one build find that build's entry. */
function buildKey(context) {
  const hash = createHash('sha256');
  for (const id of [...context.getModuleIds()].sort()) hash.update(`${id}\0${context.getModuleInfo(id)?.code ?? ''}\0`);
  return `auth-elements:${hash.digest('hex').slice(0, 16)}`;
}

function rewriteEntry(ast, s, shared, code) {
  walk(ast, (node) => {
    if (node.type === 'MetaProperty') throw new Error(`[classic-script] import.meta in the script-tag entry: ${code.slice(node.start, node.end)}`);
    if (node.type === 'ImportExpression' && /^[`'"]\.\.?\//.test(code.slice(node.source.start, node.source.end))) {
      s.overwrite(node.start, node.end, `${IMPORT}(${code.slice(node.source.start, node.source.end)})`);
    }
  });
  const exported = [];
  for (const node of ast.body) {
    if (node.type === 'ImportDeclaration') throw new Error(`[classic-script] the script-tag entry imports ${node.source.value}: it must carry all it needs`);
    if (node.type === 'ExportAllDeclaration' || node.type === 'ExportDefaultDeclaration' || (node.type === 'ExportNamedDeclaration' && (node.declaration || node.source))) {
      throw new Error(`[classic-script] unexpected export in the script-tag entry: ${code.slice(node.start, node.end)}`);
    }
    if (node.type !== 'ExportNamedDeclaration') continue;
    for (const specifier of node.specifiers) exported.push([name(specifier.exported), name(specifier.local)]);
    s.remove(node.start, node.end);
  }
  // A chunk reads the values once, when it runs: a binding the entry reassigns later would go stale.
  const reassigned = new Set();
  walk(ast, (node) => {
    const target = node.type === 'AssignmentExpression' ? node.left : node.type === 'UpdateExpression' ? node.argument : null;
    if (target?.type === 'Identifier') reassigned.add(target.name);
  });
  // By name, not by scope: a top-level function, class or const cannot be the one reassigned
  // (a minifier's `t = …` inside some function is another `t`).
  const fixed = new Set();
  for (const node of ast.body) {
    if ((node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') && node.id) fixed.add(node.id.name);
    if (node.type === 'VariableDeclaration' && node.kind === 'const') for (const d of node.declarations) if (d.id.type === 'Identifier') fixed.add(d.id.name);
  }
  const live = exported.filter(([, local]) => reassigned.has(local) && !fixed.has(local)).map(([, local]) => local);
  if (live.length) throw new Error(`[classic-script] lazy chunks import reassigned binding(s) ${live.join(', ')} from the script-tag entry`);
  s.append(`\n${shared}??={${[`${JSON.stringify(LOAD)}:${LOAD}`, ...exported.map(([as, local]) => `${JSON.stringify(as)}:${local}`)].join(',')}};\n`);
}

function rewriteLazy(ast, s, shared, entryPath) {
  // `import("./x.js")` → the shared loader (read once per chunk), with a native import that
  // resolves beside this chunk.
  let loads = 0;
  walk(ast, (node) => {
    if (node.type !== 'ImportExpression') return;
    const source = s.original.slice(node.source.start, node.source.end);
    if (!/^[`'"]\.\.?\//.test(source)) return;
    s.overwrite(node.start, node.end, `${LOAD}((v)=>import(v),${source})`);
    loads++;
  });
  if (loads) s.prepend(`const ${LOAD}=${shared}[${JSON.stringify(LOAD)}];`);
  const fromEntry = (source) => posix.normalize(source) === posix.normalize(entryPath.startsWith('.') ? entryPath : `./${entryPath}`) || posix.normalize(source) === posix.normalize(entryPath);
  for (const node of ast.body) {
    if (node.type === 'ExportAllDeclaration' && fromEntry(node.source.value)) throw new Error('[classic-script] a lazy chunk re-exports the script-tag entry');
    if (node.type === 'ExportNamedDeclaration' && node.source && fromEntry(node.source.value)) throw new Error('[classic-script] a lazy chunk re-exports the script-tag entry');
    if (node.type !== 'ImportDeclaration' || !fromEntry(node.source.value)) continue;
    const parts = [];
    const named = [];
    for (const specifier of node.specifiers) {
      if (specifier.type === 'ImportNamespaceSpecifier') parts.push(`const ${specifier.local.name}=${shared};`);
      else if (specifier.type === 'ImportDefaultSpecifier') named.push(`default:${specifier.local.name}`);
      else named.push(`${JSON.stringify(name(specifier.imported))}:${specifier.local.name}`);
    }
    if (named.length) parts.push(`const{${named.join(',')}}=${shared};`);
    s.overwrite(node.start, node.end, parts.join(''));
  }
}

const name = (node) => (node.type === 'Identifier' ? node.name : String(node.value));

function walk(node, visit) {
  if (!node || typeof node.type !== 'string') return;
  visit(node);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const item of value) walk(item, visit);
    else if (value && typeof value === 'object' && typeof value.type === 'string') walk(value, visit);
  }
}
