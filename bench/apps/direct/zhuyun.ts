import { provideClient } from '../direct-client.js';
import { zhuyunIdaasProvider } from '../../../src/providers/zhuyun-idaas/zhuyun-idaas.js';

export const client = provideClient(zhuyunIdaasProvider({ baseUrl: `${location.origin}/idp/zhuyun`, clientId: 'bench' }));
