// No registry: the client comes from the provider module through Lit context (direct-client.ts).
// Imports run first and in order, so the client exists before the element upgrades; the
// client is used below so that the bundler keeps its module (package.json "sideEffects").
import { client } from './direct/cloudbase.js';
import '../../src/components/auth-otp/define.js';

(globalThis as { benchClient?: unknown }).benchClient = client;
