import { createContext } from '@lit/context';
import type { AuthClient } from '../../core/client.js';

/** The client an `<auth-config>` provides to the elements inside it. */
export const authClientContext = createContext<AuthClient | undefined>('auth-elements/client');
