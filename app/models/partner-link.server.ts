import { derivedToken, safeEqual } from '../utils/crypto.server.ts';
import { db } from '../utils/db.server.ts';
import { publicUrl } from '../utils/public-url.server.ts';

// Coalition partners have no accounts. Each co-signature is managed through a secret link whose
// token is an HMAC of the co-signature id: it is never stored, and the worker can re-create it.

export function partnerToken(coSignatureId: string): string {
  return derivedToken('partner', coSignatureId);
}

function tokenMatches(coSignatureId: string, token: string): boolean {
  if (!coSignatureId || coSignatureId.length > 64 || !token || token.length > 128) return false;
  return safeEqual(partnerToken(coSignatureId), token);
}

/** The links of the partner's email: confirm (a page whose button POSTs) and manage. */
export function partnerLinks(coSignatureId: string) {
  const token = partnerToken(coSignatureId);
  const verifyPath = `/partners/verify/${coSignatureId}/${token}`;
  const managePath = `/partners/manage/${coSignatureId}/${token}`;
  return { verifyUrl: publicUrl(verifyPath), verifyPath, managePath, manageUrl: publicUrl(managePath) };
}

const coSignatureForPartner = {
  id: true,
  status: true,
  supportLine: true,
  inviteId: true,
  createdAt: true,
  verifiedAt: true,
  decidedAt: true,
  withdrawnAt: true,
  campaignId: true,
  partnerId: true,
  partner: { select: { id: true, slug: true, kind: true, name: true, representativeName: true } },
  campaign: { select: { id: true, slug: true, title: true, status: true } },
} as const;

/** The co-signature behind a partner's link, or null when the id and token do not match. */
export async function findCoSignatureByToken(coSignatureId: string, token: string) {
  if (!tokenMatches(coSignatureId, token)) return null;
  return db.coSignature.findUnique({ where: { id: coSignatureId }, select: coSignatureForPartner });
}
