import { db } from '../utils/db.server.ts';
import { HIDE_REASON_MAX } from '../validation/moderation.ts';

// Editors hide a signer's public comment (with a reason) and show it again. Scoped by campaign.

export type ModerationResult = { ok: true } | { ok: false; reason: 'not-found' };

/** Hides a signer's public comment (kept, not deleted). Only a signature of this campaign with a comment. */
export async function hideComment(campaignId: string, signatureId: string, reason: string): Promise<ModerationResult> {
  const { count } = await db.signature.updateMany({
    where: { id: signatureId, campaignId, comment: { not: null } },
    data: { commentHiddenAt: new Date(), commentHiddenReason: reason.trim().slice(0, HIDE_REASON_MAX) },
  });
  return count === 1 ? { ok: true } : { ok: false, reason: 'not-found' };
}

export async function unhideComment(campaignId: string, signatureId: string): Promise<ModerationResult> {
  const { count } = await db.signature.updateMany({
    where: { id: signatureId, campaignId, comment: { not: null } },
    data: { commentHiddenAt: null, commentHiddenReason: null },
  });
  return count === 1 ? { ok: true } : { ok: false, reason: 'not-found' };
}
