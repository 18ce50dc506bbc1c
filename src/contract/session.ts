/** The backends an adapter exists for: `options.provider.type` and `session.provider`. */
export const BackendType = {
  cloudbase: 'cloudbase',
  'tencent-ciam': 'tencent-ciam',
  'alibaba-idaas': 'alibaba-idaas',
  'zhuyun-idaas': 'zhuyun-idaas',
  janrain: 'janrain',
  oidc: 'oidc',
} as const;
export type BackendType = (typeof BackendType)[keyof typeof BackendType];

/** The languages every sentence exists in; English is the fallback. */
export type Language = 'en' | 'zh-CN';

/** The signed-in person: `id` is the backend's own user id; the rest is what it returned. */
export interface User {
  id: string;
  email?: string;
  phone?: string;
  name?: string;
  /** A picture of the person (an `https:` URL), where the backend keeps one. */
  picture?: string;
  /** The third-party accounts linked to this person, where the backend lists them (CloudBase `providers`). */
  identities?: LinkedIdentity[];
  [claim: string]: unknown;
}

/** A third-party account linked to the person (Supabase and CloudBase v3 name these `identities`). */
export interface LinkedIdentity {
  /** The source's id, as `capabilities.oauth` and `linkIdentity({ provider })` name it (`wx_open`). */
  provider: string;
  /** The person's name at that source, where the backend says. */
  name?: string;
}

/** The session object of the public contract. `expires_at` is in epoch seconds. */
export interface Session {
  access_token: string;
  token_type: string;
  expires_in: number;
  expires_at: number;
  refresh_token?: string;
  id_token?: string;
  user: User;
  provider: BackendType;
}

/** What an adapter hands back after a sign-in or refresh; the client turns it into a Session. */
export interface TokenSet {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  user?: User;
}
