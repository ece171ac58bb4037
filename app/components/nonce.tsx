import { createContext, useContext } from 'react';

// The Content-Security-Policy nonce of the response being rendered (set by entry.server.tsx). Every
// inline <script> or <style> the app renders carries it. In the browser it is empty: browsers hide
// a nonce from the page once it has been read, and scripts added after hydration are not inline.
const NonceContext = createContext('');

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
