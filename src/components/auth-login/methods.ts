// The ways `<auth-login>` offers, as its `methods` attribute names them: read by the element's
// class (to fetch the code form early where it comes first) and by its views (to draw them).

export type Method = 'password' | 'otp' | 'social' | 'passkey';

const METHODS: Method[] = ['password', 'otp', 'social', 'passkey'];

/** The methods `methods` asks for, in its order; unknown names are ignored, and none asked means all. */
export function askedMethods(methods: string | undefined): Method[] {
  return methods ? methods.split(/\s+/).filter((m): m is Method => (METHODS as string[]).includes(m)) : METHODS;
}
