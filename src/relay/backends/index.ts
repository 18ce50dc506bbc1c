import type { RelayOptions } from '../types.js';
import { alibabaBackend } from './alibaba-idaas.js';
import { janrainBackend } from './janrain.js';
import { tencentCiamBackend } from './tencent-ciam.js';
import type { Backend } from './types.js';
import { zhuyunBackend } from './zhuyun-idaas.js';

/** The backend module for `options.provider`; throws a config error naming what is missing (never a value). */
export function createBackend(options: RelayOptions): Backend {
  switch (options.provider) {
    case 'alibaba-idaas': {
      const credentials = requireClient(options.provider, options.credentials);
      const appTokenIn = options.credentials.appTokenIn;
      if (appTokenIn !== undefined && appTokenIn !== 'query' && appTokenIn !== 'header') {
        throw new TypeError('createRelay: credentials.appTokenIn must be "query" or "header".');
      }
      return alibabaBackend({ ...credentials, appTokenIn });
    }
    case 'tencent-ciam':
      return tencentCiamBackend(requireClient(options.provider, options.credentials));
    case 'janrain':
      return janrainBackend(requireClient(options.provider, options.credentials));
    case 'zhuyun-idaas': {
      const clientId = options.credentials?.clientId;
      if (clientId !== undefined && (typeof clientId !== 'string' || !clientId)) {
        throw new TypeError('createRelay: credentials.clientId must be a non-empty string when given.');
      }
      return zhuyunBackend({ clientId });
    }
    default:
      throw new TypeError(
        `createRelay: provider must be one of alibaba-idaas, tencent-ciam, janrain, zhuyun-idaas (got ${JSON.stringify(String((options as { provider?: unknown }).provider)).slice(0, 60)}).`,
      );
  }
}

function requireClient(provider: string, credentials: unknown): { clientId: string; clientSecret: string } {
  const c = (credentials ?? {}) as Record<string, unknown>;
  for (const key of ['clientId', 'clientSecret']) {
    if (typeof c[key] !== 'string' || !(c[key] as string)) {
      throw new TypeError(`createRelay: the ${provider} relay needs credentials.${key} (a non-empty string).`);
    }
  }
  return { clientId: c.clientId as string, clientSecret: c.clientSecret as string };
}
