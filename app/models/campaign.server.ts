import { db } from '../utils/db.server.ts';
import { CampaignStatus } from '../generated/prisma/enums.ts';

/** Statuses whose public page can be opened (drafts are for members only). */
export const VISIBLE_STATUSES: CampaignStatus[] = [CampaignStatus.PUBLISHED, CampaignStatus.CLOSED, CampaignStatus.WON];
/** Statuses that accept new signatures. */
export const SIGNABLE_STATUSES: CampaignStatus[] = [CampaignStatus.PUBLISHED];

export function listPublishedCampaigns() {
  return db.campaign.findMany({
    where: { status: CampaignStatus.PUBLISHED },
    orderBy: { publishedAt: 'desc' },
    select: { id: true, slug: true, title: true, summary: true, goal: true, signatureCount: true, imageUrl: true },
    take: 100,
  });
}

/** `includeUnpublished` is for previews: the caller must check the viewer is a member or an admin. */
export function getPublicCampaign(slug: string, options: { includeUnpublished?: boolean } = {}) {
  return db.campaign.findFirst({
    where: options.includeUnpublished ? { slug } : { slug, status: { in: VISIBLE_STATUSES } },
    select: {
      id: true,
      slug: true,
      status: true,
      updatedAt: true,
      title: true,
      summary: true,
      statement: true,
      goal: true,
      imageUrl: true,
      signatureCount: true,
      publishedAt: true,
      victoryNote: true,
      demands: { orderBy: { position: 'asc' }, select: { id: true, position: true, text: true } },
      addressees: {
        orderBy: { position: 'asc' },
        // The addressee's email is deliberately not selected: the page does not need it.
        select: {
          id: true,
          name: true,
          role: true,
          deliveryMode: true,
          digestIntervalMinutes: true,
          lettersSent: true,
          signaturesDelivered: true,
          lastDeliveredAt: true,
        },
      },
    },
  });
}

export type PublicCampaign = NonNullable<Awaited<ReturnType<typeof getPublicCampaign>>>;

/** The current slug of a campaign that used to live at `oldSlug`, so old links can redirect. */
export async function findCurrentSlug(oldSlug: string): Promise<string | null> {
  const row = await db.campaignSlug.findUnique({ where: { slug: oldSlug }, select: { campaign: { select: { slug: true } } } });
  return row?.campaign.slug ?? null;
}

export function findCampaignForSigning(slug: string) {
  return db.campaign.findUnique({ where: { slug }, select: { id: true, status: true, title: true } });
}

/** A share of the goal for progress bars, 0..100. */
export function progressPercent(count: number, goal: number): number {
  if (goal <= 0) return 100;
  return Math.min(100, Math.round((count / goal) * 100));
}

export function getCampaignCount(slug: string) {
  return db.campaign.findFirst({
    where: { slug, status: { in: VISIBLE_STATUSES } },
    select: { signatureCount: true, goal: true },
  });
}
