import { CoSignatureStatus } from '../generated/prisma/enums.ts';
import { db } from '../utils/db.server.ts';
import { findCoSignatureByToken } from './partner-link.server.ts';

// The partner's contact address confirms a co-signature; the worker's data for the verification email.

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

// ---------------------------------------------------------------- the verification email (worker side)

/**
 * What the verification email needs, or null when none is owed (already sent; verified or withdrawn
 * before a first email went out). A repeat of the form asks for it again whatever the status; the
 * email then says the co-signature is already on record (`alreadyRecorded`).
 */
export async function findOwedPartnerVerification(coSignatureId: string) {
  const row = await db.coSignature.findUnique({
    where: { id: coSignatureId },
    select: {
      id: true,
      status: true,
      inviteId: true,
      verificationSentAt: true,
      verificationRequestedAt: true,
      createdAt: true,
      linkVersion: true,
      partner: { select: { kind: true, name: true, contactEmail: true, representativeName: true } },
      campaign: { select: { slug: true, title: true } },
    },
  });
  if (!row || row.verificationSentAt) return null;
  const repeated = row.verificationRequestedAt.getTime() > row.createdAt.getTime();
  if (row.status !== CoSignatureStatus.UNVERIFIED && !repeated) return null;
  return { ...row, alreadyRecorded: row.status !== CoSignatureStatus.UNVERIFIED };
}

export async function markPartnerVerificationSent(coSignatureId: string, at: Date) {
  await db.coSignature.updateMany({ where: { id: coSignatureId, verificationSentAt: null }, data: { verificationSentAt: at } });
}
