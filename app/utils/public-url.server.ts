import { env } from './env.server.ts';

// Absolute links to Chorus pages, for emails, share buttons and links shown to copy. Paths are
// built by the typed helpers below so a page's address is written down once.

/** PUBLIC_URL followed by an absolute path ('/c/slug'). */
export function publicUrl(path: string): string {
  return `${env().PUBLIC_URL}${path}`;
}

export const campaignPath = (slug: string) => `/c/${slug}`;
export const campaignUrl = (slug: string) => publicUrl(campaignPath(slug));
export const personUrl = (slug: string) => publicUrl(`/people/${slug}`);
export const partnerPageUrl = (slug: string) => publicUrl(`/partners/${slug}`);
export const signInUrl = (token?: string) => publicUrl(token === undefined ? '/sign-in' : `/sign-in/${token}`);
export const confirmUrl = (token: string) => publicUrl(`/confirm/${token}`);
