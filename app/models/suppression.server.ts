import { db } from '../utils/db.server.ts';

// The signers of a campaign whose address is on the suppression list (it hard-bounced, or its owner
// marked Chorus's mail as spam): confirmations and updates are not sent to them. The list itself is
// kept by bounce.server.ts and holds for every campaign.

export type CampaignSuppressions = {
  hardBounces: number;
  complaints: number;
  /** The most recent ones; with the address for owners only, as on the Signatures tab. */
  recent: Array<{ signatureId: string; fullName: string; email: string | null; reason: 'HARD' | 'COMPLAINT'; detail: string | null; since: Date }>;
};

export async function campaignSuppressions(campaignId: string, { names, addresses }: { names: boolean; addresses: boolean }, take = 20): Promise<CampaignSuppressions> {
  const counts = await db.$queryRaw<Array<{ reason: string; count: number }>>`
    SELECT sa.reason::text AS reason, count(*)::int AS count
    FROM "Signature" s JOIN "SuppressedAddress" sa ON sa."emailNormalized" = s."emailNormalized"
    WHERE s."campaignId" = ${campaignId}
    GROUP BY sa.reason`;
  const recent = names
    ? await db.$queryRaw<Array<{ signatureId: string; fullName: string; email: string; reason: 'HARD' | 'COMPLAINT'; detail: string | null; since: Date }>>`
        SELECT s.id AS "signatureId", s."fullName", s.email, sa.reason::text AS reason, sa.detail, sa."createdAt" AS since
        FROM "Signature" s JOIN "SuppressedAddress" sa ON sa."emailNormalized" = s."emailNormalized"
        WHERE s."campaignId" = ${campaignId}
        ORDER BY sa."createdAt" DESC, s.id
        LIMIT ${take}`
    : [];
  const count = (reason: string) => counts.find((c) => c.reason === reason)?.count ?? 0;
  return {
    hardBounces: count('HARD'),
    complaints: count('COMPLAINT'),
    recent: recent.map((r) => ({ ...r, email: addresses ? r.email : null })),
  };
}
