// Types for scripts/entries.mjs, for the TypeScript files that import it.
export interface Entry {
  /** Output name: dist/<name>.js. */
  name: string;
  /** Source path, relative to the repository root. */
  source: string;
  /** Skipped with a notice while the source does not exist. */
  optional?: boolean;
  /** Runs outside a browser (Node, Deno, workers): must not use the DOM. */
  server?: boolean;
}
export declare const ROOT: string;
export declare const ELEMENTS: string[];
export declare const BACKENDS: string[];
export declare const ESM_ENTRIES: Entry[];
export declare const SCRIPT_ENTRY: Entry;
export declare const SCRIPT_CHUNKS: string;
export declare function esmInput(notice?: (message: string) => void): Record<string, string>;
