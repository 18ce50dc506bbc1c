// Types for scripts/classic-script.mjs, for vite.config.ts.
import type { Plugin } from 'vite';
import type { Rolldown } from 'vite';

export declare function classicScript(options: { entry: string }): Plugin;
export declare const classicWrapper: {
  postBanner: (chunk: Rolldown.RenderedChunk) => string;
  postFooter: (chunk: Rolldown.RenderedChunk) => string;
};
