import { randomBytes } from 'node:crypto';

// The security headers every response carries (pages, data requests, resource routes, static
// assets), and which pages must never be stored by a browser or a shared cache. server.ts applies
// them before anything else answers; entry.server.tsx hands the per-request nonce to React.
// See docs/decisions/006-security-headers-and-request-guards.md.

/** A fresh value for each response: the only inline scripts that run are the ones carrying it. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * The Content-Security-Policy. Scripts: this site's files, plus inline scripts carrying the
 * response's nonce (Remix's hydration data and module loader, React's streaming scripts). Styles:
 * this site's stylesheet; style attributes are allowed (React renders a few, e.g. the progress
 * bar's width) but not <style> elements without the nonce. Images: organisers still give image
 * addresses on other sites (campaign image, partner logos, Markdown), so any http(s) image loads;
 * nothing else may come from elsewhere.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' https: http:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'none'",
    "object-src 'none'",
    "worker-src 'none'",
    "manifest-src 'self'",
    "frame-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
  'display-capture=()',
].join(', ');

/** Two years, the value the HSTS preload list asks for. Sent only when PUBLIC_URL is https. */
export const HSTS = 'max-age=63072000; includeSubDomains';

/** Every header for one response. `https` is whether PUBLIC_URL is an https address. */
export function securityHeaders(options: { nonce: string; https: boolean }): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options.nonce),
    'Permissions-Policy': PERMISSIONS_POLICY,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    // For browsers older than frame-ancestors.
    'X-Frame-Options': 'DENY',
    ...(options.https ? { 'Strict-Transport-Security': HSTS } : {}),
  };
}

export const PRIVATE_CACHE_CONTROL = 'private, no-store';

/**
 * Pages a browser or shared cache must not keep: everything organisers see, and every page whose
 * address or content carries a personal token (confirmation, removal, unsubscribe, partner links,
 * sign-in links, the thank-you page with its removal link, the development mailbox).
 */
const PRIVATE_PATHS = [
  /^\/dashboard(?:[/.]|$)/,
  /^\/admin(?:[/.]|$)/,
  /^\/sign-in\/[^/]+/,
  /^\/sign-out(?:[/.]|$)/,
  /^\/confirm\//,
  /^\/remove\//,
  /^\/u\//,
  /^\/partners\/(?:manage|verify)\//,
  /^\/c\/[^/]+\/thank-you(?:\.data)?$/,
  /^\/dev\/mailbox(?:[/.]|$)/,
];

/**
 * True when the response to this request must be `Cache-Control: private, no-store`: a private
 * page, or any request that carries an organiser's session (what it sees may be personal).
 */
export function isPrivateRequest(pathname: string, cookieHeader: string | undefined): boolean {
  if (PRIVATE_PATHS.some((pattern) => pattern.test(pathname))) return true;
  return cookieHeader?.includes('chorus_session=') ?? false;
}
