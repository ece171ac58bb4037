import { createHmac } from 'node:crypto';
import { csvDocument } from '../../emails/csv.ts';
import { CampaignStatus, CoSignatureStatus, PartnerKind, SignatureStatus } from '../generated/prisma/enums.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { enqueueOrDefer, enqueuePartnerVerification } from '../queues.server.ts';
import { keyedHash, randomToken, safeEqual, sha256 } from '../utils/crypto.server.ts';
import { db, isUniqueViolation } from '../utils/db.server.ts';
import { env } from '../utils/env.server.ts';
import { hitRateLimit } from '../utils/rate-limit.server.ts';
import { countryName } from '../validation/countries.ts';
import { INVITE_DAYS, PARTNER_SLUG, type CoSignInput } from '../validation/partner.ts';
import { PLAIN_LATIN, slugify } from '../utils/slug.ts';
import { VISIBLE_STATUSES } from './campaign.server.ts';

// Coalition partners have no accounts. Each co-signature is managed through a secret link whose
// token is an HMAC of the co-signature id: it is never stored, and the worker can re-create it.

/** Co-signature submissions per campaign and network per hour (each one sends an email). */
const CO_SIGN_LIMIT = 10;

/** A refusal the person filling in the form should read; `status` is the HTTP status to answer with. */
export class CoSignRefusedError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'CoSignRefusedError';
  }
}

const CAMPAIGN_NOT_FOUND = 'We could not find this campaign. It may have been moved or removed.';

export function partnerToken(coSignatureId: string): string {
  return createHmac('sha256', env().HASH_SECRET).update(`partner:${coSignatureId}`).digest('base64url');
}

function tokenMatches(coSignatureId: string, token: string): boolean {
  if (!coSignatureId || coSignatureId.length > 64 || !token || token.length > 128) return false;
  return safeEqual(partnerToken(coSignatureId), token);
}

/** The links of the partner's email: confirm (a page whose button POSTs) and manage. */
export function partnerLinks(coSignatureId: string) {
  const base = env().PUBLIC_URL;
  const token = partnerToken(coSignatureId);
  return {
    verifyUrl: `${base}/partners/verify/${coSignatureId}/${token}`,
    verifyPath: `/partners/verify/${coSignatureId}/${token}`,
    managePath: `/partners/manage/${coSignatureId}/${token}`,
    manageUrl: `${base}/partners/manage/${coSignatureId}/${token}`,
  };
}

// ---------------------------------------------------------------- invitations

export type InviteState = 'valid' | 'unknown' | 'used' | 'revoked' | 'expired';

export const INVITE_MESSAGES: Record<Exclude<InviteState, 'valid'>, string> = {
  unknown:
    'This invitation link is not valid for this statement. Check that you copied the whole link, or co-sign without it (the organisers will then review your co-signature).',
  used: 'This invitation link has already been used. Ask the organisers for a new one, or co-sign without it (the organisers will then review your co-signature).',
  revoked:
    'This invitation link was withdrawn by the organisers. Ask them for a new one, or co-sign without it (they will then review your co-signature).',
  expired: `This invitation link has expired (links work for ${INVITE_DAYS} days). Ask the organisers for a new one, or co-sign without it.`,
};

type InviteRow = { id: string; campaignId: string; usedAt: Date | null; revokedAt: Date | null; expiresAt: Date };

function inviteState(invite: InviteRow | null, campaignId: string, now = new Date()): InviteState {
  if (!invite || invite.campaignId !== campaignId) return 'unknown';
  if (invite.revokedAt) return 'revoked';
  if (invite.usedAt) return 'used';
  if (invite.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}

const inviteSelect = { id: true, campaignId: true, usedAt: true, revokedAt: true, expiresAt: true } as const;

function findInvite(client: Prisma.TransactionClient | typeof db, token: string) {
  if (!token || token.length > 128) return Promise.resolve(null);
  return client.partnerInvite.findUnique({ where: { tokenHash: sha256(token) }, select: inviteSelect });
}

/** For the co-sign page: whether an invitation link in the URL can still be used. */
export async function checkInvite(campaignId: string, token: string): Promise<InviteState> {
  return inviteState(await findInvite(db, token), campaignId);
}

/** A single-use link that lets a partner co-sign without approval. Only the token's sha256 is stored. */
export async function createPartnerInvite(campaignId: string, userId: string, note: string | null) {
  const token = randomToken(32);
  const invite = await db.partnerInvite.create({
    data: {
      campaignId,
      createdById: userId,
      note,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + INVITE_DAYS * 86_400_000),
    },
    select: { id: true, expiresAt: true, campaign: { select: { slug: true } } },
  });
  return {
    id: invite.id,
    expiresAt: invite.expiresAt,
    // Shown to the organiser once; it cannot be recovered later.
    url: `${env().PUBLIC_URL}/c/${invite.campaign.slug}/co-sign?invite=${token}`,
  };
}

/** True when an unused invitation of this campaign was revoked now. */
export async function revokePartnerInvite(campaignId: string, inviteId: string): Promise<boolean> {
  const { count } = await db.partnerInvite.updateMany({
    where: { id: inviteId, campaignId, usedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return count === 1;
}

export async function listPartnerInvites(campaignId: string) {
  const rows = await db.partnerInvite.findMany({
    where: { campaignId },
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: { ...inviteSelect, note: true, createdAt: true },
  });
  const now = new Date();
  return rows.map(({ campaignId: _c, ...r }) => ({ ...r, state: inviteState({ ...r, campaignId }, campaignId, now) }));
}

// ---------------------------------------------------------------- co-signing

export type CoSignOutcome = { coSignatureId: string; partnerName: string; invited: boolean; queued: boolean };

/** The campaign as the co-sign page needs it, or null when it is not public. */
export function campaignForCoSigning(slug: string) {
  return db.campaign.findFirst({
    where: { slug, status: { in: VISIBLE_STATUSES } },
    select: { id: true, slug: true, title: true, summary: true, status: true },
  });
}

/**
 * Records a co-signature from the public form, unverified until the contact address confirms it.
 * With a valid invitation the co-signature needs no approval, and the invitation is used up in the
 * same transaction; an unusable invitation or a repeat co-signature writes nothing at all.
 */
export async function coSign(
  campaignSlug: string,
  input: CoSignInput,
  options: { inviteToken?: string | null; ip?: string } = {},
): Promise<CoSignOutcome> {
  const campaign = await db.campaign.findUnique({ where: { slug: campaignSlug }, select: { id: true, status: true } });
  if (!campaign || !VISIBLE_STATUSES.includes(campaign.status)) throw new CoSignRefusedError(CAMPAIGN_NOT_FOUND, 404);
  if (campaign.status !== CampaignStatus.PUBLISHED) {
    throw new CoSignRefusedError('This statement is no longer open for co-signatures.', 409);
  }
  if (options.ip) {
    const limit = await hitRateLimit(`cosign:${campaign.id}:${keyedHash('ip', options.ip)}`, CO_SIGN_LIMIT, 3600);
    if (!limit.allowed) throw new CoSignRefusedError('Too many co-signatures have come from your network. Please try again later.', 429);
  }

  // Two requests creating the same partner (or the same slug) at once: the loser tries again and finds it.
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await db.$transaction((tx) => writeCoSignature(tx, campaign.id, input, options.inviteToken ?? null));
      const queued = await enqueueOrDefer(`partner verification ${created.id}`, () =>
        enqueuePartnerVerification(created.id, created.createdAt),
      );
      return { coSignatureId: created.id, partnerName: created.partnerName, invited: created.invited, queued };
    } catch (error) {
      if (isUniqueViolation(error, 'CoSignature_campaignId_partnerId_key')) throw duplicateCoSignature(input.name);
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

function duplicateCoSignature(name: string) {
  return new CoSignRefusedError(`${name} has already co-signed this statement or is awaiting verification.`, 409);
}

async function writeCoSignature(tx: Prisma.TransactionClient, campaignId: string, input: CoSignInput, inviteToken: string | null) {
  let inviteId: string | null = null;
  if (inviteToken !== null) {
    const invite = await findInvite(tx, inviteToken);
    const state = inviteState(invite, campaignId);
    if (state !== 'valid') throw new CoSignRefusedError(INVITE_MESSAGES[state], 410);
    inviteId = invite!.id;
  }

  const partner = await findOrCreatePartner(tx, input);
  const existing = await tx.coSignature.findUnique({
    where: { campaignId_partnerId: { campaignId, partnerId: partner.id } },
    select: { id: true },
  });
  if (existing) throw duplicateCoSignature(partner.name);

  const row = await tx.coSignature.create({
    data: { campaignId, partnerId: partner.id, supportLine: input.supportLine, inviteId },
    select: { id: true, createdAt: true },
  });
  if (inviteId) {
    // Conditional, so two submissions racing with one invitation cannot both use it.
    const now = new Date();
    const { count } = await tx.partnerInvite.updateMany({
      where: { id: inviteId, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) throw new CoSignRefusedError(INVITE_MESSAGES.used, 410);
  }
  return { ...row, partnerName: partner.name, invited: inviteId !== null };
}

/**
 * A partner is identified by kind, contact address and name. An existing partner's public details
 * are left as they are: an unverified form must not be able to change another's logo or website.
 */
async function findOrCreatePartner(tx: Prisma.TransactionClient, input: CoSignInput) {
  const contactEmail = input.contactEmail.toLowerCase();
  const kind = input.kind === 'ORGANISATION' ? PartnerKind.ORGANISATION : PartnerKind.INDIVIDUAL;
  const found = await tx.partner.findUnique({
    where: { kind_contactEmail_name: { kind, contactEmail, name: input.name } },
    select: { id: true, name: true },
  });
  if (found) return found;
  return tx.partner.create({
    data: {
      slug: await uniquePartnerSlug(tx, input.name),
      kind,
      name: input.name,
      title: input.title,
      affiliation: input.affiliation,
      country: input.country,
      website: input.website,
      contactEmail,
      representativeName: input.representativeName,
      logoUrl: input.logoUrl,
    },
    select: { id: true, name: true },
  });
}

async function uniquePartnerSlug(tx: Prisma.TransactionClient, name: string): Promise<string> {
  const base = slugify(name, PLAIN_LATIN);
  if (!base) return `partner-${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  const taken = await tx.partner.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } });
  const slugs = new Set(taken.map((p) => p.slug));
  if (!slugs.has(base)) return base;
  for (let n = 2; n < 1000; n++) if (!slugs.has(`${base}-${n}`)) return `${base}-${n}`;
  return `${base}-${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
}

// ---------------------------------------------------------------- the partner's own links

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

export type VerifyResult =
  | { ok: true; status: CoSignatureStatus; alreadyVerified: boolean }
  | { ok: false; reason: 'unknown' };

/**
 * The contact address confirmed it: UNVERIFIED → PENDING_APPROVAL, or straight to APPROVED when the
 * partner came with an invitation. Confirming again changes nothing.
 */
export async function verifyCoSignature(coSignatureId: string, token: string): Promise<VerifyResult> {
  const found = await findCoSignatureByToken(coSignatureId, token);
  if (!found) return { ok: false, reason: 'unknown' };
  if (found.status !== CoSignatureStatus.UNVERIFIED) return { ok: true, status: found.status, alreadyVerified: true };

  const now = new Date();
  const invite = found.inviteId
    ? await db.partnerInvite.findUnique({ where: { id: found.inviteId }, select: { createdById: true } })
    : null;
  const status = found.inviteId ? CoSignatureStatus.APPROVED : CoSignatureStatus.PENDING_APPROVAL;
  const { count } = await db.coSignature.updateMany({
    where: { id: found.id, status: CoSignatureStatus.UNVERIFIED },
    data: found.inviteId
      ? { status, verifiedAt: now, decidedAt: now, decidedById: invite?.createdById ?? null }
      : { status, verifiedAt: now },
  });
  if (count === 1) return { ok: true, status, alreadyVerified: false };
  const current = await db.coSignature.findUniqueOrThrow({ where: { id: found.id }, select: { status: true } });
  return { ok: true, status: current.status, alreadyVerified: true };
}

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
  const base = env().PUBLIC_URL;
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
    trackingUrl: `${base}/c/${found.campaign.slug}?via=${found.partner.slug}`,
    partnerPageUrl: `${base}/partners/${found.partner.slug}`,
    broughtConfirmed: brought,
    sharedWithPartner: shared,
    canExport: found.status === CoSignatureStatus.APPROVED,
  };
}

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

// ---------------------------------------------------------------- organisers

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
          select: {
            id: true,
            slug: true,
            kind: true,
            name: true,
            title: true,
            affiliation: true,
            country: true,
            website: true,
            contactEmail: true,
            representativeName: true,
          },
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

// ---------------------------------------------------------------- public lists

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
        select: { slug: true, kind: true, name: true, title: true, affiliation: true, country: true, website: true, logoUrl: true },
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
      slug: true,
      kind: true,
      name: true,
      title: true,
      affiliation: true,
      country: true,
      website: true,
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

// ---------------------------------------------------------------- the verification email

/** What the verification email needs, or null when none is owed (verified, withdrawn, already sent). */
export async function findOwedPartnerVerification(coSignatureId: string) {
  const row = await db.coSignature.findUnique({
    where: { id: coSignatureId },
    select: {
      id: true,
      status: true,
      inviteId: true,
      verificationSentAt: true,
      partner: { select: { kind: true, name: true, contactEmail: true, representativeName: true } },
      campaign: { select: { slug: true, title: true } },
    },
  });
  if (!row || row.status !== CoSignatureStatus.UNVERIFIED || row.verificationSentAt) return null;
  return row;
}

export async function markPartnerVerificationSent(coSignatureId: string, at: Date) {
  await db.coSignature.updateMany({ where: { id: coSignatureId, verificationSentAt: null }, data: { verificationSentAt: at } });
}
