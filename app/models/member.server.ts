import { MemberRole } from '../generated/prisma/enums.ts';
import { enqueueMemberInvited, enqueueOrDefer } from '../queues.server.ts';
import { db } from '../utils/db.server.ts';
import { keyedHash } from '../utils/crypto.server.ts';
import { hitRateLimit, invitationRateLimit } from '../utils/rate-limit.server.ts';
import { CampaignAdminError, lockCampaign, notFound, type Tx } from './campaign-guard.server.ts';
import { normalizeAccountEmail } from './user.server.ts';

// A campaign's team: inviting members, changing their role, removing them, and the invitation email's data.

const INVITES_PER_HOUR = 30;

export function listMembers(campaignId: string) {
  return db.campaignMember.findMany({
    where: { campaignId },
    orderBy: [{ invitedAt: 'asc' }],
    select: { id: true, role: true, invitedAt: true, notifiedAt: true, user: { select: { id: true, email: true, name: true } } },
  });
}

/**
 * Adds someone to the campaign, creating their organiser account if they have none, and emails
 * them (after the commit) that they were added. They sign in with a link like everyone else.
 */
export const INVITATIONS_RATE_LIMITED = 'You have sent too many invitations in a short time. Nobody was invited; please try again later.';

export async function inviteMember(campaignId: string, email: string, role: MemberRole, by: { userId: string; ip?: string }) {
  const address = normalizeAccountEmail(email);
  // Per inviting account and per IP address (configurable), and per campaign.
  const mine = await invitationRateLimit(by.userId, by.ip ? keyedHash('ip', by.ip) : null);
  if (!mine.allowed) throw new CampaignAdminError(INVITATIONS_RATE_LIMITED, 429);
  const limit = await hitRateLimit(`invite:${campaignId}`, INVITES_PER_HOUR, 3600);
  if (!limit.allowed) throw new CampaignAdminError('Too many invitations from this campaign in the last hour. Nobody was invited; please try again later.', 429);
  const member = await db.$transaction(async (tx) => {
    await lockCampaign(tx, campaignId);
    const user = await tx.user.upsert({ where: { email: address }, create: { email: address }, update: {}, select: { id: true } });
    const existing = await tx.campaignMember.findUnique({ where: { campaignId_userId: { campaignId, userId: user.id } }, select: { id: true } });
    if (existing) throw new CampaignAdminError(`${address} is already a member of this campaign.`, 409, 'email');
    return tx.campaignMember.create({ data: { campaignId, userId: user.id, role }, select: { id: true, role: true } });
  });
  await enqueueOrDefer(`member invitation ${member.id}`, () => enqueueMemberInvited(member.id));
  return { ...member, email: address };
}

async function ownerCount(tx: Tx, campaignId: string) {
  return tx.campaignMember.count({ where: { campaignId, role: MemberRole.OWNER } });
}

const LAST_OWNER = 'A campaign needs at least one owner. Make someone else an owner first.';

export async function changeMemberRole(campaignId: string, memberId: string, role: MemberRole) {
  await db.$transaction(async (tx) => {
    await lockCampaign(tx, campaignId);
    const member = await tx.campaignMember.findFirst({ where: { id: memberId, campaignId }, select: { role: true } });
    if (!member) throw notFound('member');
    if (member.role === MemberRole.OWNER && role !== MemberRole.OWNER && (await ownerCount(tx, campaignId)) <= 1) {
      throw new CampaignAdminError(LAST_OWNER, 409);
    }
    await tx.campaignMember.update({ where: { id: memberId }, data: { role } });
  });
}

/** Returns the removed member's user id (the caller may have removed themselves). */
export async function removeMember(campaignId: string, memberId: string): Promise<{ userId: string }> {
  return db.$transaction(async (tx) => {
    await lockCampaign(tx, campaignId);
    const member = await tx.campaignMember.findFirst({ where: { id: memberId, campaignId }, select: { role: true, userId: true } });
    if (!member) throw notFound('member');
    if (member.role === MemberRole.OWNER && (await ownerCount(tx, campaignId)) <= 1) throw new CampaignAdminError(LAST_OWNER, 409);
    await tx.campaignMember.delete({ where: { id: memberId } });
    return { userId: member.userId };
  });
}

// ---------------------------------------------------------------- invitation emails (worker side)

/** For the invitation email: who, to which campaign, as what; null once sent or if removed meanwhile. */
export function findOwedMemberInvitation(memberId: string) {
  return db.campaignMember.findFirst({
    where: { id: memberId, notifiedAt: null },
    select: {
      id: true,
      role: true,
      user: { select: { email: true, name: true } },
      campaign: { select: { title: true } },
    },
  });
}

export async function markMemberNotified(memberId: string, at = new Date()) {
  await db.campaignMember.updateMany({ where: { id: memberId, notifiedAt: null }, data: { notifiedAt: at } });
}
