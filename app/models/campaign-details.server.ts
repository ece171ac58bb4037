import { CampaignStatus, MemberRole } from '../generated/prisma/enums.ts';
import { keyedHash } from '../utils/crypto.server.ts';
import { db, isUniqueViolation } from '../utils/db.server.ts';
import { campaignCreationRateLimit } from '../utils/rate-limit.server.ts';
import type { CampaignDetailsInput } from '../validation/campaign.ts';
import { CampaignAdminError, lockCampaign, type Tx } from './campaign-guard.server.ts';

// A campaign's details: creating a draft, reading and editing its title, texts and web address.

/** Drafts and campaigns waiting for review can still change their address; published ones cannot. */
export const SLUG_EDITABLE_STATUSES: CampaignStatus[] = [CampaignStatus.DRAFT, CampaignStatus.IN_REVIEW];

const SLUG_TAKEN = 'That web address is already used by another campaign. Please choose another one.';
const SLUG_LOCKED =
  'The web address of a campaign cannot change once it has been published: links to it have already been shared.';

/** A slug is free unless another campaign uses it now or used it before (old links redirect there). */
async function assertSlugFree(tx: Tx, slug: string, campaignId?: string) {
  const current = await tx.campaign.findUnique({ where: { slug }, select: { id: true } });
  if (current && current.id !== campaignId) throw new CampaignAdminError(SLUG_TAKEN, 409, 'slug');
  const old = await tx.campaignSlug.findUnique({ where: { slug }, select: { campaignId: true } });
  if (old && old.campaignId !== campaignId) throw new CampaignAdminError(SLUG_TAKEN, 409, 'slug');
}

function slugConflict(error: unknown): CampaignAdminError | null {
  return isUniqueViolation(error, 'Campaign_slug_key') || isUniqueViolation(error, 'CampaignSlug_pkey')
    ? new CampaignAdminError(SLUG_TAKEN, 409, 'slug')
    : null;
}

export const CAMPAIGN_RATE_LIMITED = 'You have started too many campaigns in a short time. Nothing was created; please try again later.';

/**
 * A new draft; its creator becomes its first owner in the same transaction. Limited per account and
 * per IP address (`ip`, when the request has one): over the limit, nothing is written (429).
 */
export async function createCampaign(userId: string, input: CampaignDetailsInput, options: { ip?: string } = {}) {
  const limit = await campaignCreationRateLimit(userId, options.ip ? keyedHash('ip', options.ip) : null);
  if (!limit.allowed) throw new CampaignAdminError(CAMPAIGN_RATE_LIMITED, 429);
  try {
    return await db.$transaction(async (tx) => {
      await assertSlugFree(tx, input.slug);
      return tx.campaign.create({
        data: {
          slug: input.slug,
          status: CampaignStatus.DRAFT,
          title: input.title,
          summary: input.summary,
          statement: input.statement,
          goal: input.goal,
          imageUrl: input.imageUrl,
          replyTo: input.replyTo ?? null,
          createdById: userId,
          members: { create: { userId, role: MemberRole.OWNER } },
        },
        select: { id: true, slug: true, status: true },
      });
    });
  } catch (error) {
    throw slugConflict(error) ?? error;
  }
}

export function getCampaignDetails(campaignId: string) {
  return db.campaign.findUnique({
    where: { id: campaignId },
    select: {
      id: true,
      slug: true,
      status: true,
      title: true,
      summary: true,
      statement: true,
      goal: true,
      imageUrl: true,
      replyTo: true,
      publishedAt: true,
      updatedAt: true,
    },
  });
}

export function canChangeSlug(campaign: { status: CampaignStatus; publishedAt: Date | null }) {
  return SLUG_EDITABLE_STATUSES.includes(campaign.status) && campaign.publishedAt === null;
}

export async function updateCampaignDetails(campaignId: string, input: CampaignDetailsInput) {
  try {
    return await db.$transaction(async (tx) => {
      await lockCampaign(tx, campaignId);
      const current = await tx.campaign.findUniqueOrThrow({
        where: { id: campaignId },
        select: { slug: true, status: true, publishedAt: true },
      });
      if (input.slug !== current.slug) await changeSlug(tx, campaignId, current, input.slug);
      return tx.campaign.update({
        where: { id: campaignId },
        data: {
          slug: input.slug,
          title: input.title,
          summary: input.summary,
          statement: input.statement,
          goal: input.goal,
          imageUrl: input.imageUrl,
          replyTo: input.replyTo,
        },
        select: { id: true, slug: true, status: true },
      });
    });
  } catch (error) {
    throw slugConflict(error) ?? error;
  }
}

/**
 * Today a published campaign's slug is fixed. Should that rule ever be relaxed, the old slug of a
 * campaign that was public is kept in CampaignSlug, so the public page redirects old links.
 */
async function changeSlug(tx: Tx, campaignId: string, current: { slug: string; status: CampaignStatus; publishedAt: Date | null }, next: string) {
  if (!canChangeSlug(current)) throw new CampaignAdminError(SLUG_LOCKED, 409, 'slug');
  await assertSlugFree(tx, next, campaignId);
  // Taking back one of its own earlier slugs: that one is current again, not a redirect.
  await tx.campaignSlug.deleteMany({ where: { slug: next, campaignId } });
  if (current.publishedAt) await tx.campaignSlug.create({ data: { slug: current.slug, campaignId } });
}
