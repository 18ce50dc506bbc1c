import { provideClient } from '../direct-client.js';
import { cloudbaseProvider } from '../../../src/providers/cloudbase/cloudbase.js';

export const client = provideClient(cloudbaseProvider({ env: 'bench', baseUrl: `${location.origin}/idp/cloudbase` }));
