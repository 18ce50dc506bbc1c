// Types for scripts/terser-after.mjs, for the TypeScript files that import it.
import type { Plugin } from 'vite';

export declare function terserAfter(): Plugin;
