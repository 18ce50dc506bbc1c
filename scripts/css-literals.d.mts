// Types for scripts/css-literals.mjs, for the TypeScript files that import it.
import type { Plugin } from 'vite';

export declare function minifyCssLiterals(source: string): string;
export declare function minifyCss(): Plugin;
