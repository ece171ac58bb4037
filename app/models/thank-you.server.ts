import { env } from '../utils/env.server.ts';
import { removalPath, removalToken, validRemovalToken } from './signature-removal.server.ts';

// The thank-you page is the same for everyone, except for the signer's own removal link. The confirm
// action hands it over in a short-lived, HttpOnly cookie scoped to the campaign's pages; its value carries the
// removal token, so a forged cookie names nobody it can remove.

const COOKIE = 'chorus_signed';
const MAX_AGE_SECONDS = 60 * 60;

export async function thankYouCookie(slug: string, signatureId: string): Promise<string> {
  const secure = env().PUBLIC_URL.startsWith('https:') ? '; Secure' : '';
  const value = `${signatureId}.${removalToken(signatureId)}`;
  // Scoped to the campaign's paths: the page's data request is /c/<slug>/thank-you.data.
  return `${COOKIE}=${value}; Path=/c/${encodeURIComponent(slug)}; Max-Age=${MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secure}`;
}

/** The signer's removal link (a path), or null when the request carries no valid cookie. */
export function removalPathFromCookie(cookieHeader: string | null): string | null {
  const match = cookieHeader?.match(new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`));
  if (!match) return null;
  const [signatureId, token] = match[1].split('.');
  return signatureId && token && validRemovalToken(signatureId, token) ? removalPath(signatureId) : null;
}
