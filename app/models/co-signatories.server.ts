import { CoSignatureStatus, PartnerKind } from '../generated/prisma/enums.ts';
import { db } from '../utils/db.server.ts';
import { countryName } from '../validation/countries.ts';
import { PARTNER_SLUG } from '../validation/partner.ts';
import { VISIBLE_STATUSES } from './campaign.server.ts';

// What the public sees of partners: a campaign's co-signatories, a partner's page, and `?via=` attribution.

/** What anyone may see of a partner. */
export const partnerPublicFields = {
  slug: true,
  kind: true,
  name: true,
  title: true,
  affiliation: true,
  country: true,
  website: true,
} as const;

/** Approved co-signatories of a campaign, in the order they joined (newest last). */
export async function approvedCoSignatories(campaignId: string) {
  const rows = await db.coSignature.findMany({
    where: { campaignId, status: CoSignatureStatus.APPROVED },
    orderBy: [{ decidedAt: 'asc' }, { verifiedAt: 'asc' }, { createdAt: 'asc' }],
    take: 2000,
    select: {
      id: true,
      supportLine: true,
      partner: {
        select: { ...partnerPublicFields, logoUrl: true },
      },
    },
  });
  const list = rows.map((r) => ({
    id: r.id,
    supportLine: r.supportLine,
    slug: r.partner.slug,
    name: r.partner.name,
    title: r.partner.title,
    affiliation: r.partner.affiliation,
    countryName: countryName(r.partner.country),
    website: r.partner.website,
    logoUrl: r.partner.logoUrl,
    kind: r.partner.kind,
  }));
  const organisations = list.filter((p) => p.kind === PartnerKind.ORGANISATION);
  const individuals = list.filter((p) => p.kind === PartnerKind.INDIVIDUAL);
  return { organisations, individuals, organisationCount: organisations.length, individualCount: individuals.length };
}

export type CoSignatories = Awaited<ReturnType<typeof approvedCoSignatories>>;

/** A partner's public page: only once it has an approved co-signature on a public campaign. */
export async function partnerPage(slug: string) {
  if (!PARTNER_SLUG.test(slug)) return null;
  const partner = await db.partner.findUnique({
    where: { slug },
    select: {
      ...partnerPublicFields,
      logoUrl: true,
      coSignatures: {
        where: { status: CoSignatureStatus.APPROVED, campaign: { status: { in: VISIBLE_STATUSES } } },
        orderBy: { decidedAt: 'desc' },
        select: {
          id: true,
          supportLine: true,
          decidedAt: true,
          campaign: { select: { slug: true, title: true, summary: true, status: true, signatureCount: true } },
        },
      },
    },
  });
  if (!partner || partner.coSignatures.length === 0) return null;
  const { coSignatures, ...rest } = partner;
  return {
    partner: { ...rest, countryName: countryName(rest.country) },
    campaigns: coSignatures.map((c) => ({ ...c.campaign, supportLine: c.supportLine, coSignedAt: c.decidedAt })),
  };
}

// ---------------------------------------------------------------- attribution

/** The partner a `?via=` slug names, if it has an approved co-signature on this campaign. */
export async function approvedPartnerForCampaign(campaignId: string, slug: string | null | undefined) {
  if (!slug || !PARTNER_SLUG.test(slug)) return null;
  const row = await db.coSignature.findFirst({
    where: { campaignId, status: CoSignatureStatus.APPROVED, partner: { slug } },
    select: { partner: { select: { id: true, slug: true, name: true } } },
  });
  return row?.partner ?? null;
}
