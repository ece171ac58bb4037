import { CampaignStatus } from '../generated/prisma/enums.ts';
import { db } from '../utils/db.server.ts';
import { env } from '../utils/env.server.ts';
import { CampaignAdminError, lockCampaign, type Tx } from './campaign-guard.server.ts';

// A campaign's status over its life: draft → (review) → published → closed or won; deleting drafts.

/** Only campaigns that never went public can be deleted; the rest are closed instead. */
export const DELETABLE_STATUSES: CampaignStatus[] = [CampaignStatus.DRAFT, CampaignStatus.IN_REVIEW];

export function getCampaignStatus(campaignId: string) {
  return db.campaign.findUnique({
    where: { id: campaignId },
    select: {
      id: true,
      slug: true,
      title: true,
      status: true,
      publishedAt: true,
      closedAt: true,
      submittedAt: true,
      reviewNote: true,
      victoryNote: true,
      signatureCount: true,
      _count: { select: { demands: true, addressees: true } },
    },
  });
}

const STATUS_WORDS: Record<CampaignStatus, string> = {
  DRAFT: 'a draft',
  IN_REVIEW: 'waiting for review',
  PUBLISHED: 'published',
  CLOSED: 'closed',
  WON: 'marked as won',
};

async function statusUnder(tx: Tx, campaignId: string) {
  await lockCampaign(tx, campaignId);
  return tx.campaign.findUniqueOrThrow({
    where: { id: campaignId },
    select: { status: true, publishedAt: true, closedAt: true, _count: { select: { demands: true, addressees: true } } },
  });
}

function requireStatus(status: CampaignStatus, allowed: CampaignStatus[], action: string) {
  if (!allowed.includes(status)) throw new CampaignAdminError(`This campaign is ${STATUS_WORDS[status]}, so it cannot ${action}.`, 409);
}

function requireContent(counts: { demands: number; addressees: number }) {
  const missing = [counts.demands === 0 ? 'at least one demand' : null, counts.addressees === 0 ? 'at least one addressee' : null].filter(Boolean);
  if (missing.length) throw new CampaignAdminError(`Before publishing, add ${missing.join(' and ')}.`, 409);
}

/**
 * Publishes a draft, or (with MODERATION=on) sends it to the platform admins' review queue.
 * Returns the new status.
 */
export async function publishCampaign(campaignId: string): Promise<CampaignStatus> {
  const moderated = env().MODERATION === 'on';
  return db.$transaction(async (tx) => {
    const campaign = await statusUnder(tx, campaignId);
    requireStatus(campaign.status, [CampaignStatus.DRAFT], moderated ? 'be submitted for review' : 'be published');
    requireContent(campaign._count);
    const now = new Date();
    const data = moderated
      ? { status: CampaignStatus.IN_REVIEW, submittedAt: now }
      : { status: CampaignStatus.PUBLISHED, publishedAt: now, reviewNote: null };
    const updated = await tx.campaign.update({ where: { id: campaignId }, data, select: { status: true } });
    return updated.status;
  });
}

export function listCampaignsInReview() {
  return db.campaign.findMany({
    where: { status: CampaignStatus.IN_REVIEW },
    orderBy: { submittedAt: 'asc' },
    select: {
      id: true,
      slug: true,
      title: true,
      summary: true,
      submittedAt: true,
      reviewNote: true,
      createdBy: { select: { email: true, name: true } },
      _count: { select: { demands: true, addressees: true } },
    },
    take: 200,
  });
}

/** Admins only (the route checks): the campaign goes public. */
export async function approveCampaign(campaignId: string) {
  await db.$transaction(async (tx) => {
    const campaign = await statusUnder(tx, campaignId);
    requireStatus(campaign.status, [CampaignStatus.IN_REVIEW], 'be approved');
    // Editors may change a campaign while it waits; it must still be complete.
    requireContent(campaign._count);
    await tx.campaign.update({
      where: { id: campaignId },
      data: { status: CampaignStatus.PUBLISHED, publishedAt: new Date(), reviewNote: null },
    });
  });
}

/** Admins only: back to draft, with the reason its members see on the status page. */
export async function sendBackCampaign(campaignId: string, reason: string) {
  await db.$transaction(async (tx) => {
    const campaign = await statusUnder(tx, campaignId);
    requireStatus(campaign.status, [CampaignStatus.IN_REVIEW], 'be sent back');
    await tx.campaign.update({
      where: { id: campaignId },
      data: { status: CampaignStatus.DRAFT, reviewNote: reason, submittedAt: null },
    });
  });
}

export async function closeCampaign(campaignId: string) {
  await db.$transaction(async (tx) => {
    const campaign = await statusUnder(tx, campaignId);
    requireStatus(campaign.status, [CampaignStatus.PUBLISHED], 'be closed');
    await tx.campaign.update({ where: { id: campaignId }, data: { status: CampaignStatus.CLOSED, closedAt: new Date() } });
  });
}

/** A published or closed campaign that got what it asked for; the note is shown on its page. Also edits the note. */
export async function markWon(campaignId: string, victoryNote: string) {
  await db.$transaction(async (tx) => {
    const campaign = await statusUnder(tx, campaignId);
    requireStatus(campaign.status, [CampaignStatus.PUBLISHED, CampaignStatus.CLOSED, CampaignStatus.WON], 'be marked as won');
    await tx.campaign.update({
      where: { id: campaignId },
      data: { status: CampaignStatus.WON, victoryNote, closedAt: campaign.closedAt ?? new Date() },
    });
  });
}

/** Owners only (the route checks). Campaigns that were ever public keep their record: close them instead. */
export async function deleteCampaign(campaignId: string) {
  await db.$transaction(async (tx) => {
    const campaign = await statusUnder(tx, campaignId);
    if (!DELETABLE_STATUSES.includes(campaign.status) || campaign.publishedAt) {
      throw new CampaignAdminError(
        'Only campaigns that were never published can be deleted. Its signers and addressees rely on its public record: close it instead.',
        409,
      );
    }
    await tx.campaign.delete({ where: { id: campaignId } });
  });
}
