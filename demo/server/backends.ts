import type { Backend } from './kit/index.js';
import { alibabaIdaasBackend } from './alibaba-idaas/index.js';
import { cloudbaseBackend } from './cloudbase/index.js';
import { janrainBackend } from './janrain/index.js';
import { tencentCiamBackend } from './tencent-ciam/index.js';
import { zhuyunIdaasBackend } from './zhuyun-idaas/index.js';

/** Every backend emulation the reference server mounts, each at `/{name}`. */
export const backends: Backend[] = [cloudbaseBackend, tencentCiamBackend, zhuyunIdaasBackend, alibabaIdaasBackend, janrainBackend];
