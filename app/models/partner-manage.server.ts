import { CoSignatureStatus, SignatureStatus } from '../generated/prisma/enums.ts';
import { db } from '../utils/db.server.ts';
import { findCoSignatureByToken } from './partner-link.server.ts';
import { campaignUrl, partnerPageUrl } from '../utils/public-url.server.ts';

// The partner's manage page (behind its secret link): what it signed, what it brought, withdrawing.

/** The partner takes its name off the statement. The row stays, with when. Idempotent. */
export async function withdrawCoSignature(coSignatureId: string, token: string): Promise<boolean> {
  if (!(await findCoSignatureByToken(coSignatureId, token))) return false;
  await db.coSignature.updateMany({
    where: { id: coSignatureId, status: { not: CoSignatureStatus.WITHDRAWN } },
    data: { status: CoSignatureStatus.WITHDRAWN, withdrawnAt: new Date() },
  });
  return true;
}

/** Everything the partner's manage page shows, or null for a wrong link. */
export async function partnerDashboard(coSignatureId: string, token: string) {
  const found = await findCoSignatureByToken(coSignatureId, token);
  if (!found) return null;
  const broughtWhere = {
    campaignId: found.campaignId,
    viaPartnerId: found.partnerId,
    status: SignatureStatus.CONFIRMED,
  };
  const [brought, shared] = await Promise.all([
    db.signature.count({ where: broughtWhere }),
    db.signature.count({ where: { ...broughtWhere, shareWithPartner: true } }),
  ]);
  return {
    coSignature: {
      id: found.id,
      status: found.status,
      supportLine: found.supportLine,
      invited: found.inviteId !== null,
      createdAt: found.createdAt,
      verifiedAt: found.verifiedAt,
      decidedAt: found.decidedAt,
      withdrawnAt: found.withdrawnAt,
    },
    partner: { slug: found.partner.slug, kind: found.partner.kind, name: found.partner.name },
    campaign: { slug: found.campaign.slug, title: found.campaign.title, status: found.campaign.status },
    trackingUrl: `${campaignUrl(found.campaign.slug)}?via=${found.partner.slug}`,
    partnerPageUrl: partnerPageUrl(found.partner.slug),
    broughtConfirmed: brought,
    sharedWithPartner: shared,
    canExport: found.status === CoSignatureStatus.APPROVED,
    linkVersion: found.linkVersion,
  };
}
