// Every entry imports in plain Node (SSR, a server bundle, the relay) without throwing and
// without our code reading a browser global while loading. Each case runs in a fresh process
// (test/node/import-probe.mjs) where window, document, localStorage, navigator… are traps.
// lit's `node` export condition brings its own DOM shims (customElements, HTMLElement): that
// is expected, and it lets us check which tags an entry registers.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { ELEMENTS, ESM_ENTRIES, ROOT } from '../../scripts/entries.mjs';

const PROBE = resolve(ROOT, 'test/node/import-probe.mjs');
const MARKER = 'IMPORT-PROBE-RESULT ';
const DIST = resolve(ROOT, 'dist');

interface ProbeResult {
  ok: boolean;
  error: string | null;
  accesses: { name: string; frame: string }[];
  defined: Record<string, boolean>;
  litLoaded: boolean;
}

/** Imports `files` in order in one fresh Node process; `tsx` for TypeScript sources. */
async function probe(files: string[], { tsx }: { tsx: boolean }): Promise<ProbeResult> {
  const input = JSON.stringify({ imports: files.map((file) => pathToFileURL(file).href), tags: ELEMENTS });
  const args = [...(tsx ? ['--import', 'tsx'] : []), PROBE, input];
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: unknown }>((done) => {
    // NODE_ENV=production: lit's registry shim then throws on a second define, like a browser.
    const options = { cwd: ROOT, timeout: 60_000, env: { ...process.env, NODE_ENV: 'production' } };
    execFile(process.execPath, args, options, (error, out, err) => done({ stdout: out, stderr: err, code: error?.code ?? 0 }));
  });
  const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
  assert.ok(line, `the import probe printed no result (exit ${code}):\n${stdout}\n${stderr}`);
  return JSON.parse(line.slice(MARKER.length)) as ProbeResult;
}

function assertClean(result: ProbeResult, what: string): void {
  assert.deepEqual(
    result.accesses,
    [],
    `${what} read browser globals at import time (move the access into a function, or guard it there):\n` +
      result.accesses.map((a) => `  globalThis.${a.name} ${a.frame}`).join('\n'),
  );
  assert.ok(result.ok, `importing ${what} threw:\n${result.error}`);
}

const rel = (file: string) => file.slice(ROOT.length + 1);

/** Source entries: the build's list, plus any element folder with a define.ts it may lack. */
function sourceEntries(): { file: string; name: string; server: boolean; optional: boolean }[] {
  const entries = ESM_ENTRIES.map((e) => ({
    file: resolve(ROOT, e.source),
    name: e.name,
    server: Boolean(e.server),
    optional: Boolean(e.optional),
  }));
  const components = resolve(ROOT, 'src/components');
  for (const dir of readdirSync(components, { withFileTypes: true })) {
    const file = join(components, dir.name, 'define.ts');
    if (dir.isDirectory() && existsSync(file) && !entries.some((e) => e.file === file)) {
      entries.push({ file, name: dir.name, server: false, optional: false });
    }
  }
  return entries;
}

/** Which tags an entry must register once imported. */
function expectedTags(name: string): string[] {
  // A React wrapper registers its tag (unused wrappers are /* @__PURE__ */: bundlers drop them).
  if (name === 'define' || name === 'react') return ELEMENTS;
  if (ELEMENTS.includes(name)) return [name];
  return []; // index (no side effects), relay (server side)
}

function checkEntry(result: ProbeResult, name: string, server: boolean, what: string): void {
  assertClean(result, what);
  const tags = expectedTags(name);
  for (const tag of ELEMENTS) {
    assert.equal(
      result.defined[tag],
      tags.includes(tag),
      tags.includes(tag) ? `${what} should register <${tag}>` : `${what} registered <${tag}>: it must have no side effects`,
    );
  }
  if (server) assert.equal(result.litLoaded, false, `${what} runs on servers: it must not load lit`);
}

describe('source entries import in plain Node without touching the DOM', { concurrency: true }, () => {
  for (const entry of sourceEntries()) {
    const what = rel(entry.file);
    it(what, async (t) => {
      if (!existsSync(entry.file)) {
        assert.ok(entry.optional, `${what} is missing`);
        t.skip(`${what} does not exist yet`);
        return;
      }
      checkEntry(await probe([entry.file], { tsx: true }), entry.name, entry.server, what);
    });
  }
});

describe('built entries import in plain Node without touching the DOM', { concurrency: true }, () => {
  const built = existsSync(resolve(DIST, 'index.js'));
  const skip = built ? false : 'dist/ is not built: run `npm run build` first';

  for (const entry of ESM_ENTRIES) {
    const file = resolve(DIST, `${entry.name}.js`);
    const what = `dist/${entry.name}.js`;
    it(what, { skip }, async (t) => {
      if (!existsSync(file)) {
        assert.ok(entry.optional && !existsSync(resolve(ROOT, entry.source)), `${what} is missing: rebuild`);
        t.skip(`${what} is not built (${entry.source} does not exist yet)`);
        return;
      }
      checkEntry(await probe([file], { tsx: false }), entry.name, Boolean(entry.server), what);
    });
  }

  it('two copies (source, then dist) registering the same tags do not throw', { skip }, async () => {
    const result = await probe([resolve(ROOT, 'src/define.ts'), resolve(DIST, 'define.js')], { tsx: true });
    assertClean(result, 'src/define.ts + dist/define.js');
    for (const tag of ELEMENTS) assert.equal(result.defined[tag], true, `<${tag}> is not registered`);
  });
});
