import { MemberRole } from '../generated/prisma/enums.ts';

/**
 * What an organiser may see of a signer, by role. The signer agreed (CONSENT_TEXT in
 * app/validation/signature.ts) that Chorus stores their name, email, city and country "to count and
 * deliver my signature", and was promised their email is never shown publicly. So:
 * - VIEWER: only what the public page may show — the public name (first name and initial, or the
 *   full name if the signer chose to show it) and the city.
 * - EDITOR: also the full name, country, status and comment: what letters to addressees carry and
 *   what they need to moderate comments.
 * - OWNER: also the email address, which owners answer for (removal requests, updates).
 */
export function signerAccess(role: MemberRole) {
  return { details: role !== MemberRole.VIEWER, email: role === MemberRole.OWNER };
}

/** The signer's details any role may be shown part of; signerAccess decides which part. */
export const signerDetails = {
  id: true,
  fullName: true,
  showName: true,
  email: true,
  city: true,
  country: true,
  comment: true,
  commentHiddenAt: true,
} as const;
