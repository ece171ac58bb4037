import { randomUUID } from 'node:crypto';
import { db, isUniqueViolation } from '../utils/db.server.ts';
import { confirmationToken, keyedHash, sha256 } from '../utils/crypto.server.ts';
import { confirmationExpired, confirmationLinkToken } from './confirmation.server.ts';
import { normalizeEmail } from '../utils/email-normalize.ts';
import { CONSENT_VERSION, type SignatureInput } from '../validation/signature.ts';
import { SignatureStatus } from '../generated/prisma/enums.ts';
import { enqueueConfirmation, enqueueOrDefer, enqueueSignatureConfirmed } from '../queues.server.ts';
import { signatureRateLimit } from '../utils/rate-limit.server.ts';
import { findCampaignForSigning, SIGNABLE_STATUSES, VISIBLE_STATUSES } from './campaign.server.ts';
import { approvedPartnerForCampaign } from './co-signatories.server.ts';

export const RESEND_AFTER_MINUTES = 10;

export class CampaignNotFoundError extends Error {
  constructor() {
    super('We could not find this campaign. It may have been moved or removed.');
  }
}

export class CampaignClosedError extends Error {
  constructor() {
    super('This campaign is no longer collecting signatures. Thank you for your support.');
  }
}

export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many signatures have come from your network for this campaign. Please try again later.');
  }
}

export type SignOutcome = { signatureId: string | null; campaignId: string; duplicate: boolean; queued: boolean };

/**
 * Records a signature. The row is committed before anything is enqueued; if Redis is down the
 * signature still stands and the reconciler sends the confirmation later.
 * A repeat submission for the same (normalised) email answers the same way, re-sending the
 * confirmation at most once per RESEND_AFTER_MINUTES, so the answer reveals nothing.
 */
export async function createSignature(campaignSlug: string, input: SignatureInput, ip: string): Promise<SignOutcome> {
  const campaign = await findCampaignForSigning(campaignSlug);
  // Drafts and campaigns in review answer like unknown ones: their slugs are not public yet.
  if (!campaign || !VISIBLE_STATUSES.includes(campaign.status)) throw new CampaignNotFoundError();
  if (!SIGNABLE_STATUSES.includes(campaign.status)) throw new CampaignClosedError();

  const ipHash = keyedHash('ip', ip);
  const limit = await signatureRateLimit(campaign.id, ipHash);
  if (!limit.allowed) throw new RateLimitedError(limit.retryAfterSeconds);

  // Only a partner with an approved co-signature on this campaign gets credit (or the signer's details).
  const viaPartner = await approvedPartnerForCampaign(campaign.id, input.via);

  const id = randomUUID();
  const emailNormalized = normalizeEmail(input.email);
  try {
    const created = await db.signature.create({
      data: {
        id,
        campaignId: campaign.id,
        fullName: input.fullName,
        email: input.email,
        emailNormalized,
        city: input.city,
        country: input.country,
        comment: input.comment,
        showName: input.showName,
        listPublicly: input.listPublicly,
        wantsUpdates: input.wantsUpdates,
        viaPartnerId: viaPartner?.id ?? null,
        shareWithPartner: viaPartner !== null && input.shareWithPartner === true,
        consentVersion: CONSENT_VERSION,
        tokenHash: sha256(confirmationToken(id)),
        ipHash,
      },
      select: { id: true, confirmationRequestedAt: true },
    });
    const queued = await enqueueOrDefer(`confirmation for ${id}`, () =>
      enqueueConfirmation(created.id, created.confirmationRequestedAt),
    );
    return { signatureId: id, campaignId: campaign.id, duplicate: false, queued };
  } catch (error) {
    if (!isUniqueViolation(error, 'Signature_campaign_email_key')) throw error;
  }

  const resend = await requestConfirmationResend(campaign.id, emailNormalized);
  const queued = resend
    ? await enqueueOrDefer(`re-sent confirmation for ${resend.id}`, () =>
        enqueueConfirmation(resend.id, resend.confirmationRequestedAt),
      )
    : false;
  return { signatureId: null, campaignId: campaign.id, duplicate: true, queued };
}

/** Marks a pending signature as owed another confirmation email, unless one was asked for recently. */
async function requestConfirmationResend(campaignId: string, emailNormalized: string) {
  const signature = await db.signature.findUnique({
    where: { campaignId_emailNormalized: { campaignId, emailNormalized } },
    select: { id: true },
  });
  return signature ? renewConfirmation(signature.id) : null;
}

/**
 * The resend path (the sign form again, or the button on an expired link's page): the signature
 * is owed a new confirmation email, at most once every RESEND_AFTER_MINUTES. If its link had
 * expired, the new email carries a new link (a new token version) and the old one stays dead.
 */
export async function renewConfirmation(signatureId: string) {
  const current = await db.signature.findUnique({
    where: { id: signatureId },
    select: { status: true, confirmationRequestedAt: true, confirmationTokenVersion: true },
  });
  if (!current || current.status !== SignatureStatus.PENDING) return null;
  const version = current.confirmationTokenVersion + (confirmationExpired(current.confirmationRequestedAt) ? 1 : 0);
  const rows = await db.$queryRaw<Array<{ id: string; confirmationRequestedAt: Date }>>`
    UPDATE "Signature" SET "confirmationRequestedAt" = now(),
      "confirmationTokenVersion" = ${version}, "tokenHash" = ${sha256(confirmationLinkToken(signatureId, version))}
    WHERE id = ${signatureId} AND status = 'PENDING'
      AND "confirmationTokenVersion" = ${current.confirmationTokenVersion}
      AND "confirmationRequestedAt" <= now() - make_interval(mins => ${RESEND_AFTER_MINUTES})
    RETURNING id, "confirmationRequestedAt"`;
  return rows[0] ?? null;
}

/** From an expired link's page: a new link is emailed (rate-limited like any resend). */
export async function requestNewConfirmationLink(token: string): Promise<'sent' | 'recently-sent' | 'unknown' | 'not-pending'> {
  const signature = await findSignatureByToken(token);
  if (!signature) return 'unknown';
  if (signature.status !== SignatureStatus.PENDING) return 'not-pending';
  const renewed = await renewConfirmation(signature.id);
  if (!renewed) return 'recently-sent';
  await enqueueOrDefer(`renewed confirmation for ${renewed.id}`, () => enqueueConfirmation(renewed.id, renewed.confirmationRequestedAt));
  return 'sent';
}

export function findSignatureByToken(token: string) {
  if (!token || token.length > 200) return Promise.resolve(null);
  return db.signature.findUnique({
    where: { tokenHash: sha256(token) },
    select: {
      id: true,
      status: true,
      fullName: true,
      confirmationRequestedAt: true,
      campaign: { select: { slug: true, title: true, status: true } },
    },
  });
}

export type ConfirmResult =
  | { ok: true; alreadyConfirmed: boolean; signatureId: string; campaign: { slug: string; title: string } }
  | { ok: false; reason: 'unknown' | 'closed' | 'expired' };

/** Confirms by token. Confirming twice is harmless; the second time changes nothing. */
export async function confirmSignature(token: string): Promise<ConfirmResult> {
  const signature = await findSignatureByToken(token);
  if (!signature) return { ok: false, reason: 'unknown' };
  const campaign = { slug: signature.campaign.slug, title: signature.campaign.title };
  if (signature.status === SignatureStatus.CONFIRMED) return { ok: true, alreadyConfirmed: true, signatureId: signature.id, campaign };
  if (!SIGNABLE_STATUSES.includes(signature.campaign.status)) return { ok: false, reason: 'closed' };
  if (confirmationExpired(signature.confirmationRequestedAt)) return { ok: false, reason: 'expired' };

  const { count } = await db.signature.updateMany({
    where: { id: signature.id, status: SignatureStatus.PENDING },
    data: { status: SignatureStatus.CONFIRMED, confirmedAt: new Date() },
  });
  if (count === 1) {
    await enqueueOrDefer(`deliveries for ${signature.id}`, () => enqueueSignatureConfirmed(signature.id));
  }
  return { ok: true, alreadyConfirmed: count === 0, signatureId: signature.id, campaign };
}

/** "Нұрғали А." unless the signer agreed to show their full name. */
export function publicName(fullName: string, showName: boolean): string {
  if (showName) return fullName;
  const parts = fullName.trim().split(/\s+/);
  if (parts.length === 1) return parts[0];
  const initial = Array.from(parts[parts.length - 1])[0];
  return `${parts[0]} ${initial}.`;
}

/**
 * The public list: only signers who asked to be listed (or to show their full name publicly,
 * which says as much). Everyone else counts without appearing.
 */
export async function recentSigners(campaignId: string, take = 10) {
  const rows = await db.signature.findMany({
    where: { campaignId, status: SignatureStatus.CONFIRMED, OR: [{ listPublicly: true }, { showName: true }] },
    orderBy: { confirmedAt: 'desc' },
    take,
    select: { id: true, fullName: true, showName: true, city: true, country: true, confirmedAt: true },
  });
  return rows.map((r) => ({
    id: r.id,
    name: publicName(r.fullName, r.showName),
    city: r.city,
    country: r.country,
    confirmedAt: r.confirmedAt,
  }));
}
