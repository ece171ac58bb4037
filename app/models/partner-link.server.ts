import { derivedToken, safeEqual } from '../utils/crypto.server.ts';
import { db } from '../utils/db.server.ts';
import { publicUrl } from '../utils/public-url.server.ts';
import { enqueueOrDefer, enqueuePartnerNewLink } from '../queues.server.ts';

// Coalition partners have no accounts. Each co-signature is managed through a secret link whose
// token is an HMAC of the co-signature id and its link version: it is never stored, the worker can
// re-create it, and an organiser who re-issues the link (version + 1) kills every earlier one.

export function partnerToken(coSignatureId: string, version: number): string {
  // Version 0 keeps the derivation links had before versions existed, so those links still work.
  return derivedToken('partner', version === 0 ? coSignatureId : `${coSignatureId}:v${version}`);
}

/** The links of the partner's emails: confirm (a page whose button POSTs) and manage. */
export function partnerLinks(coSignatureId: string, version: number) {
  const token = partnerToken(coSignatureId, version);
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
  linkVersion: true,
  partner: { select: { id: true, slug: true, kind: true, name: true, representativeName: true } },
  campaign: { select: { id: true, slug: true, title: true, status: true } },
} as const;

/** The co-signature behind a partner's link, or null when the id and token do not match its current version. */
export async function findCoSignatureByToken(coSignatureId: string, token: string) {
  if (!coSignatureId || coSignatureId.length > 64 || !token || token.length > 128) return null;
  const found = await db.coSignature.findUnique({ where: { id: coSignatureId }, select: coSignatureForPartner });
  if (!found || !safeEqual(partnerToken(found.id, found.linkVersion), token)) return null;
  return found;
}

/**
 * An organiser revokes the partner's private link and issues a new one, emailed to the partner's
 * contact address. Every earlier link (manage, verify, export) stops working at once.
 */
export async function reissuePartnerLink(campaignId: string, coSignatureId: string) {
  const rows = await db.$queryRaw<Array<{ linkVersion: number }>>`
    UPDATE "CoSignature" SET "linkVersion" = "linkVersion" + 1, "linkReissuedAt" = (now() AT TIME ZONE 'UTC')
    WHERE id = ${coSignatureId} AND "campaignId" = ${campaignId}
    RETURNING "linkVersion"`;
  const row = rows[0];
  if (!row) return { ok: false as const };
  await enqueueOrDefer(`new partner link for ${coSignatureId}`, () => enqueuePartnerNewLink(coSignatureId, row.linkVersion));
  return { ok: true as const };
}

// ---------------------------------------------------------------- the new-link email (worker side)

/** What the new-link email needs, or null when none is owed (the latest link was emailed already). */
export async function findOwedPartnerLink(coSignatureId: string) {
  const row = await db.coSignature.findUnique({
    where: { id: coSignatureId },
    select: {
      id: true,
      linkVersion: true,
      linkSentVersion: true,
      partner: { select: { name: true, contactEmail: true, representativeName: true } },
      campaign: { select: { title: true } },
    },
  });
  if (!row || row.linkVersion <= row.linkSentVersion) return null;
  return row;
}

export async function markPartnerLinkSent(coSignatureId: string, version: number) {
  await db.coSignature.updateMany({ where: { id: coSignatureId, linkSentVersion: { lt: version } }, data: { linkSentVersion: version } });
}

/** Re-issued links not emailed yet, for the reconciler. */
export function owedPartnerLinks(olderThanSeconds = 30) {
  return db.$queryRaw<Array<{ id: string; linkVersion: number }>>`
    SELECT id, "linkVersion" FROM "CoSignature"
    WHERE "linkVersion" > "linkSentVersion"
      AND "linkReissuedAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${olderThanSeconds})
    LIMIT 1000`;
}
