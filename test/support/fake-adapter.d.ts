import { AuthError, type Adapter, type StepRequest, type TokenSet } from '../../src/contract/index.js';
/** A JWT-shaped token with the given claims (unsigned: the client never verifies). */
export declare function fakeJwt(claims: Record<string, unknown>): string;
export interface FakeAdapter extends Adapter {
    calls: {
        refresh: number;
        password: number;
        exchange: number;
        signOut: number;
        sent: Array<{
            channel: string;
            to: string;
        }>;
        changed: Array<{
            oldPassword: string;
            newPassword: string;
        }>;
    };
    /** Passwords by identifier that lead to a step instead of tokens. */
    steps: Record<string, StepRequest>;
    /** Identifiers whose sign-in (and code sends) first ask for a captcha; the answer is `human`. */
    captchaFor: Set<string>;
    /** Identifiers whose sign-in first asks the person to agree to the terms. */
    consentFor: Set<string>;
    /** What the next refreshes do: a token set, or an error to throw. */
    refreshWith: Array<TokenSet | AuthError | (() => Promise<TokenSet>)>;
    tokens(lifetime?: number, user?: string): TokenSet;
}
/** An in-memory backend for client tests: counts its calls and answers as told. */
export declare function fakeAdapter(options?: {
    key?: string;
    lifetime?: number;
}): FakeAdapter;
