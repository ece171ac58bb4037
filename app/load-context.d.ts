import '@remix-run/node';

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** The client's address as Express sees it (honours TRUST_PROXY). */
    ip: string;
    /** This response's Content-Security-Policy nonce (server.ts); absent outside the web server. */
    cspNonce?: string;
  }
}
