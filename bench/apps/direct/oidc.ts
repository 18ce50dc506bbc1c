import { provideClient } from '../direct-client.js';
import { oidcProvider } from '../../../src/providers/oidc/oidc.js';

export const client = provideClient(oidcProvider({ issuer: `${location.origin}/idp/oidc`, clientId: 'bench' }));
