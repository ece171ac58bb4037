import { db } from '../utils/db.server.ts';
import { MemberRole } from '../generated/prisma/enums.ts';

const RANK: Record<MemberRole, number> = { VIEWER: 1, EDITOR: 2, OWNER: 3 };

export function roleAtLeast(role: MemberRole, required: MemberRole) {
  return RANK[role] >= RANK[required];
}

export function findMembership(userId: string, campaignId: string) {
  return db.campaignMember.findUnique({
    where: { campaignId_userId: { campaignId, userId } },
    select: { role: true, campaign: { select: { id: true, slug: true, title: true, status: true } } },
  });
}

export function listMyCampaigns(userId: string) {
  return db.campaignMember.findMany({
    where: { userId },
    orderBy: { campaign: { updatedAt: 'desc' } },
    select: {
      role: true,
      campaign: { select: { id: true, slug: true, title: true, status: true, signatureCount: true, goal: true, updatedAt: true } },
    },
  });
}
