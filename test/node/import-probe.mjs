// Imports modules in a bare Node process and reports, as one JSON line on stdout, whether that
// threw and whether any module of ours read a browser global while loading. Used by
// ssr.node.test.ts (one fresh process per case):
//   node [--import tsx] test/node/import-probe.mjs '{"imports":["file:///…/src/index.ts"],"tags":["auth-config"]}'
//
// Browser globals are replaced by getters before anything is imported. A read from our code
// (any file outside node_modules and node's internals) throws DOM_GLOBAL_AT_IMPORT and is
// recorded, so even a read that our code catches is reported. Reads from node_modules go
// through: lit's `node` build feature-detects `globalThis.document` and installs its own DOM
// shims (HTMLElement, customElements), which is expected. Note that `typeof window` is a read
// too: evaluate such checks lazily (inside functions), not at module level.
import { fileURLToPath } from 'node:url';

export const MARKER = 'IMPORT-PROBE-RESULT ';
export const TRAPPED = [
  'window',
  'self',
  'document',
  'location',
  'history',
  'navigator',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'matchMedia',
  'getComputedStyle',
  'requestAnimationFrame',
];

const PROBE = fileURLToPath(import.meta.url);
const accesses = [];
const preexisting = [];

/** The first stack frame outside this file: who read the global. */
function reader() {
  const frames = (new Error().stack ?? '').split('\n').slice(1).map((line) => line.trim());
  return frames.find((frame) => !frame.includes(PROBE)) ?? '(unknown)';
}

const isOurs = (frame) => !/node_modules|\(node:|at node:|\(<anonymous>\)|^at <anonymous>$/.test(frame);

for (const name of TRAPPED) {
  // Node 21+ has its own `navigator`; it must not leak into the check either.
  let value = undefined;
  if (name in globalThis) {
    preexisting.push(name);
    value = globalThis[name];
  }
  Object.defineProperty(globalThis, name, {
    configurable: true,
    enumerable: false,
    get() {
      const frame = reader();
      if (!isOurs(frame)) return value;
      accesses.push({ name, frame });
      throw new Error(`DOM_GLOBAL_AT_IMPORT: globalThis.${name} was read while importing (${frame})`);
    },
    set(next) {
      value = next; // lit's shims may install globals; reading them stays trapped for our code
    },
  });
}

const { imports = [], tags = [] } = JSON.parse(process.argv[2] ?? '{}');
const result = { ok: true, error: null, accesses, preexisting, defined: {}, litLoaded: false };
try {
  for (const specifier of imports) await import(specifier);
} catch (error) {
  result.ok = false;
  result.error = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error);
}
const registry = globalThis.customElements;
for (const tag of tags) result.defined[tag] = Boolean(registry?.get(tag));
result.litLoaded = Boolean(globalThis.reactiveElementVersions || globalThis.litHtmlVersions);

process.stdout.write(`\n${MARKER}${JSON.stringify(result)}\n`);
// Anything an import left running (timers, channels) must not keep the probe alive.
process.exit(0);
