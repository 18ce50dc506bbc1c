// Types for scripts/setting-docs.mjs, for the TypeScript files that import it.
import type { Plugin } from 'vite';

export declare const SETTINGS_MODULE: RegExp;
export declare function settingDocs(source: string): string[];
export declare function stripSettingDocs(source: string): string;
export declare function dropSettingDocs(): Plugin;
