// Two library builds from one config, picked by mode (scripts/build.mjs runs both):
//   vite build              ESM: one file per entry in scripts/entries.mjs plus shared chunks,
//                           dependencies left as imports so the app's bundler dedupes them
//   vite build --mode iife  the script-tag bundle: src/script.ts with lit inside, minified
// Neither empties dist/: scripts/build.mjs cleans it once before both.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';
import { ROOT, SCRIPT_ENTRY, esmInput } from './scripts/entries.mjs';

const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
const dependencies = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies });

/** `lit`, `lit/directives/…`, `@lit/context`: anything the package depends on stays an import. */
const isDependency = (id: string) => dependencies.some((name) => id === name || id.startsWith(`${name}/`));

const shared: UserConfig = {
  root: ROOT,
  publicDir: false,
  logLevel: 'warn',
  // Dev-only warnings (src/core/util/dev.ts) are dropped from every build.
  define: { __AUTH_ELEMENTS_DEV__: 'false' },
};

/** What both builds write the same way; scripts/build.mjs empties dist/ once before them. */
const output = {
  target: 'es2022',
  outDir: 'dist',
  emptyOutDir: false,
  copyPublicDir: false,
  reportCompressedSize: false,
} as const;

export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'iife') {
    return {
      ...shared,
      build: {
        ...output,
        minify: true,
        sourcemap: true,
        lib: {
          entry: resolve(ROOT, SCRIPT_ENTRY.source),
          formats: ['iife'],
          // Required by Vite for iife. src/script.ts exports nothing, so no `var AuthElements =`
          // is emitted: the script sets `window.AuthElements` itself (build.node.test.ts checks).
          name: 'AuthElements',
          fileName: () => `${SCRIPT_ENTRY.name}.js`,
        },
      },
    };
  }
  return {
    ...shared,
    build: {
      ...output,
      // Readable output with sourcemaps; the app's bundler minifies.
      minify: false,
      sourcemap: true,
      lib: {
        entry: esmInput(),
        formats: ['es'],
        fileName: (_format, name) => `${name}.js`,
      },
      rolldownOptions: {
        external: isDependency,
        output: { chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  };
});
