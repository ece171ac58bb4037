import type { Prisma } from '../generated/prisma/client.ts';
import { randomToken, sha256 } from '../utils/crypto.server.ts';
import { db } from '../utils/db.server.ts';
import { INVITE_DAYS } from '../validation/partner.ts';
import { campaignPath, publicUrl } from '../utils/public-url.server.ts';

// Single-use invitation links that let a partner co-sign without the organisers' approval.

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

export function inviteState(invite: InviteRow | null, campaignId: string, now = new Date()): InviteState {
  if (!invite || invite.campaignId !== campaignId) return 'unknown';
  if (invite.revokedAt) return 'revoked';
  if (invite.usedAt) return 'used';
  if (invite.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'valid';
}

const inviteSelect = { id: true, campaignId: true, usedAt: true, revokedAt: true, expiresAt: true } as const;

export function findInvite(client: Prisma.TransactionClient | typeof db, token: string) {
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
    url: publicUrl(`${campaignPath(invite.campaign.slug)}/co-sign?invite=${token}`),
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
