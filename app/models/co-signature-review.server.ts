import { CoSignatureStatus, SignatureStatus } from '../generated/prisma/enums.ts';
import { db } from '../utils/db.server.ts';
import { countryName } from '../validation/countries.ts';
import { partnerPublicFields } from './co-signatories.server.ts';

// Organisers review co-signatures: approve, decline, and the campaign's list with what each partner brought.

export type DecisionResult = { ok: true } | { ok: false; message: string };

/**
 * Organisers approve a verified co-signature (or one they declined before). Scoped by campaign,
 * so an id from another campaign changes nothing.
 */
export async function approveCoSignature(campaignId: string, coSignatureId: string, userId: string): Promise<DecisionResult> {
  const { count } = await db.coSignature.updateMany({
    where: { id: coSignatureId, campaignId, status: { in: [CoSignatureStatus.PENDING_APPROVAL, CoSignatureStatus.DECLINED] } },
    data: { status: CoSignatureStatus.APPROVED, decidedAt: new Date(), decidedById: userId },
  });
  return count === 1 ? { ok: true } : { ok: false, message: 'Only a co-signature confirmed by its partner and not withdrawn can be approved.' };
}

/** Organisers decline a verified co-signature, or take an approved one off the page. */
export async function declineCoSignature(campaignId: string, coSignatureId: string, userId: string): Promise<DecisionResult> {
  const { count } = await db.coSignature.updateMany({
    where: { id: coSignatureId, campaignId, status: { in: [CoSignatureStatus.PENDING_APPROVAL, CoSignatureStatus.APPROVED] } },
    data: { status: CoSignatureStatus.DECLINED, decidedAt: new Date(), decidedById: userId },
  });
  return count === 1 ? { ok: true } : { ok: false, message: 'Only a pending or approved co-signature can be declined.' };
}

/** Every co-signature of a campaign for its organisers, with the confirmed signatures each partner brought. */
export async function listCoSignaturesForCampaign(campaignId: string) {
  const [rows, brought, shared] = await Promise.all([
    db.coSignature.findMany({
      where: { campaignId },
      orderBy: { createdAt: 'desc' },
      take: 1000,
      select: {
        id: true,
        status: true,
        supportLine: true,
        inviteId: true,
        createdAt: true,
        verificationSentAt: true,
        verifiedAt: true,
        decidedAt: true,
        withdrawnAt: true,
        partner: {
          select: { id: true, ...partnerPublicFields, contactEmail: true, representativeName: true },
        },
      },
    }),
    db.signature.groupBy({
      by: ['viaPartnerId'],
      where: { campaignId, status: SignatureStatus.CONFIRMED, viaPartnerId: { not: null } },
      _count: { _all: true },
    }),
    db.signature.groupBy({
      by: ['viaPartnerId'],
      where: { campaignId, status: SignatureStatus.CONFIRMED, viaPartnerId: { not: null }, shareWithPartner: true },
      _count: { _all: true },
    }),
  ]);
  const broughtBy = new Map(brought.map((g) => [g.viaPartnerId, g._count._all]));
  const sharedBy = new Map(shared.map((g) => [g.viaPartnerId, g._count._all]));
  return rows.map((r) => ({
    ...r,
    partner: { ...r.partner, countryName: countryName(r.partner.country) },
    broughtConfirmed: broughtBy.get(r.partner.id) ?? 0,
    sharedWithPartner: sharedBy.get(r.partner.id) ?? 0,
  }));
}
