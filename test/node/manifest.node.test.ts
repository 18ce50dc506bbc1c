// custom-elements.json is generated (npm run analyze) and committed. This regenerates it with the
// same config into a temporary directory and fails when the committed one is stale, when a
// registered tag is missing from it, or when it lists other attributes than Lit observes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../../scripts/entries.mjs';

const require = createRequire(import.meta.url);
const COMMITTED = resolve(ROOT, 'custom-elements.json');
const STALE = 'custom-elements.json is stale: run `npm run analyze` (or `npm run build`) and commit the result';

/**
 * Attributes Lit observes that the analyzer cannot see, by tag. Empty: the analyzer reads only
 * literal `name: { … }` entries of `static properties` (not spreads), so write them that way.
 */
const KNOWN_MISSING: Record<string, string[]> = {};

interface Manifest {
  modules: {
    path: string;
    declarations?: {
      kind: string;
      name: string;
      tagName?: string;
      customElement?: boolean;
      attributes?: { name: string }[];
      members?: { name: string; privacy?: string; description?: string }[];
    }[];
    exports?: { kind: string; name: string; declaration: { name: string; module?: string } }[];
  }[];
}

/** Up to `limit` JSON paths where `a` and `b` differ. */
function differences(a: unknown, b: unknown, path = '$', out: string[] = [], limit = 8): string[] {
  if (out.length >= limit) return out;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (a !== b) out.push(`${path}: committed ${JSON.stringify(a)?.slice(0, 80)} ≠ generated ${JSON.stringify(b)?.slice(0, 80)}`);
    return out;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    differences((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`, out, limit);
  }
  return out;
}

/** Runs the analyzer exactly as `npm run analyze` does, but into `outdir`. */
function analyze(outdir: string): Promise<void> {
  const cem = require.resolve('@custom-elements-manifest/analyzer/cem.js');
  // The analyzer joins outdir onto cwd (an absolute path would land inside the repo), and its
  // config loader needs a package.json above cwd: run from the root with a relative outdir.
  const args = [cem, 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', relative(ROOT, outdir), '--quiet'];
  return new Promise((done, fail) => {
    execFile(process.execPath, args, { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`the analyzer failed: ${error.message}\n${stdout}\n${stderr}`));
      else done();
    });
  });
}

function tagsImportedBy(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^\s*defineElement\(\s*['"]([\w-]+)['"]/gm)].map((m) => m[1]);
}

describe('custom-elements.json', () => {
  let dir = '';
  let generated: Manifest;
  let committed: Manifest;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'auth-elements-cem-'));
    await analyze(dir);
    generated = JSON.parse(readFileSync(join(dir, 'custom-elements.json'), 'utf8'));
    try {
      committed = JSON.parse(readFileSync(COMMITTED, 'utf8'));
    } catch (error) {
      assert.fail(`${STALE} (cannot read it: ${(error as Error).message})`);
    }
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is up to date with the sources', () => {
    const diff = differences(committed, generated);
    assert.equal(diff.length, 0, `${STALE}. First differences:\n  ${diff.join('\n  ')}`);
  });

  const classes = () =>
    generated.modules.flatMap((module) => (module.declarations ?? []).map((declaration) => ({ module, declaration })));

  it('declares every tag that src/define.ts registers', () => {
    const tags = tagsImportedBy(resolve(ROOT, 'src/define.ts'));
    assert.ok(tags.length > 0, "src/define.ts registers no tag (defineElement('<tag>', …))");
    for (const tag of tags) {
      const found = classes().find(({ declaration }) => declaration.tagName === tag);
      assert.ok(found, `no class in custom-elements.json has tagName "${tag}"`);
      assert.equal(found.declaration.customElement, true, `<${tag}>: customElement is not true`);
      const definer = generated.modules.find((m) => m.path === `src/components/${tag}/define.ts`);
      assert.ok(
        definer?.exports?.some((e) => e.kind === 'custom-element-definition' && e.name === tag),
        `src/components/${tag}/define.ts has no custom-element-definition export for "${tag}"`,
      );
    }
  });

  // The manifest is the API reference (docs/api.md): a public member with no description is an
  // element internal the views use, and wants `/** @internal */` (or a description, if it is API).
  it('lists only documented public members', () => {
    for (const { declaration } of classes()) {
      if (!declaration.tagName) continue;
      const undocumented = (declaration.members ?? []).filter((m) => (m.privacy ?? 'public') === 'public' && !m.description?.trim());
      assert.deepEqual(undocumented.map((m) => m.name), [], `<${declaration.tagName}>: public members without a description: document them or mark them @internal`);
    }
  });

  it("lists the attributes Lit observes, and no others", async () => {
    for (const { module, declaration } of classes()) {
      if (!declaration.tagName) continue;
      const exports = await import(pathToFileURL(resolve(ROOT, module.path)).href);
      const element = exports[declaration.name] as { observedAttributes: string[] };
      const observed = new Set(element.observedAttributes);
      const listed = new Set((declaration.attributes ?? []).map((a) => a.name));
      const extra = [...listed].filter((name) => !observed.has(name));
      assert.deepEqual(extra, [], `<${declaration.tagName}>: manifest attributes Lit does not observe`);
      const known = new Set(KNOWN_MISSING[declaration.tagName] ?? []);
      const missing = [...observed].filter((name) => !listed.has(name));
      assert.deepEqual(
        missing.filter((name) => !known.has(name)),
        [],
        `<${declaration.tagName}>: attributes Lit observes but custom-elements.json lacks (write them as literal entries of \`static properties\`)`,
      );
      const fixed = [...known].filter((name) => listed.has(name));
      if (fixed.length) console.log(`# <${declaration.tagName}>: ${fixed.join(', ')} now in the manifest: drop them from KNOWN_MISSING`);
    }
  });
});
