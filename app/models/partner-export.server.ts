import { csvDocument } from '../../emails/csv.ts';
import { CoSignatureStatus, SignatureStatus } from '../generated/prisma/enums.ts';
import { db } from '../utils/db.server.ts';
import { countryName } from '../validation/countries.ts';
import { findCoSignatureByToken } from './partner-link.server.ts';

export type PartnerExport = { ok: true; filename: string; csv: string; rowCount: number } | { ok: false; reason: 'unknown' | 'not-approved' };

/**
 * The partner's CSV: confirmed signers who came through its link AND agreed to share their
 * details with it, nobody else. Only while the co-signature is approved; every export is logged.
 */
export async function exportPartnerSignatures(coSignatureId: string, token: string): Promise<PartnerExport> {
  const found = await findCoSignatureByToken(coSignatureId, token);
  if (!found) return { ok: false, reason: 'unknown' };
  if (found.status !== CoSignatureStatus.APPROVED) return { ok: false, reason: 'not-approved' };
  const rows = await db.signature.findMany({
    where: {
      campaignId: found.campaignId,
      viaPartnerId: found.partnerId,
      shareWithPartner: true,
      status: SignatureStatus.CONFIRMED,
    },
    orderBy: { confirmedAt: 'asc' },
    select: { fullName: true, email: true, city: true, country: true, confirmedAt: true },
  });
  await db.exportLog.create({
    data: { campaignId: found.campaignId, kind: `partner-signatures:${found.partner.slug}`, rowCount: rows.length },
  });
  const csv = csvDocument(
    ['name', 'email', 'city', 'country', 'confirmedAt'],
    rows.map((r) => [r.fullName, r.email, r.city, countryName(r.country), r.confirmedAt]),
  );
  const date = new Date().toISOString().slice(0, 10);
  return { ok: true, filename: `${found.campaign.slug}-${found.partner.slug}-signers-${date}.csv`, csv, rowCount: rows.length };
}
