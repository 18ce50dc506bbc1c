// Every flow of the client, built together once the first action (or a redirect's return) needs
// one: this module and what only it imports arrive as one chunk (AuthClient loads it on demand),
// so a page's first view carries the session core and no flow.
import type { Adapter } from '../../contract/index.js';
import type { Environment } from '../environment.js';
import type { ActionRunner } from '../runner.js';
import type { SessionStore } from '../session-store.js';
import type { StorageAdapter } from '../storage.js';
import { AccountFlow } from './account.js';
import { CodeFlow } from './codes.js';
import { ExternalFlow } from './external.js';
import { InterruptionFlow } from './interruptions.js';
import { OAuthFlow } from './oauth.js';
import { PasswordFlow } from './password.js';
import { PopupFlow } from './popup.js';

/** What the flows share with the client. */
export interface FlowDeps {
  adapter: Adapter;
  runner: ActionRunner;
  store: SessionStore;
  env: Environment;
  storage: StorageAdapter;
  /** The configuration's storage namespace (the OAuth flow keeps its pending states under it). */
  namespace: string;
}

export interface Flows {
  password: PasswordFlow;
  codes: CodeFlow;
  interruptions: InterruptionFlow;
  oauth: OAuthFlow;
  account: AccountFlow;
  external: ExternalFlow;
  popup: PopupFlow;
}

export function createFlows({ adapter, runner, store, env, storage, namespace }: FlowDeps): Flows {
  const account = new AccountFlow(adapter, runner, store);
  const oauth = new OAuthFlow(adapter, runner, env, storage, namespace, (exchange, o, announce) => account.completeLink(exchange, o, announce));
  return {
    password: new PasswordFlow(adapter, runner, store),
    codes: new CodeFlow(adapter, runner, store),
    interruptions: new InterruptionFlow(adapter, runner, store),
    oauth,
    account,
    external: new ExternalFlow(adapter, runner),
    popup: new PopupFlow(oauth, runner),
  };
}
