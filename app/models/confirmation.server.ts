import { db } from '../utils/db.server.ts';
import { confirmationToken } from '../utils/crypto.server.ts';
import { env } from '../utils/env.server.ts';
import { confirmUrl } from '../utils/public-url.server.ts';
import { SignatureStatus } from '../generated/prisma/enums.ts';

/**
 * The token of a confirmation link. Version 0 is the original link; renewing an expired link bumps
 * the version, so the old link stays dead even though the signer asked for a new one.
 */
export function confirmationLinkToken(signatureId: string, version: number): string {
  return version === 0 ? confirmationToken(signatureId) : confirmationToken(`${signatureId}:v${version}`);
}

export function confirmationUrl(signatureId: string, version: number): string {
  return confirmUrl(confirmationLinkToken(signatureId, version));
}

/** A confirmation link expires CONFIRMATION_LINK_DAYS after the confirmation email was last asked for. */
export function confirmationExpired(requestedAt: Date, now = new Date()): boolean {
  return now.getTime() - requestedAt.getTime() > env().CONFIRMATION_LINK_DAYS * 86_400_000;
}

/** What the confirmation email needs, or null when no email is owed (confirmed, already sent, failed). */
export async function findOwedConfirmation(signatureId: string) {
  const s = await db.signature.findUnique({
    where: { id: signatureId },
    select: {
      id: true,
      email: true,
      emailNormalized: true,
      fullName: true,
      status: true,
      confirmationRequestedAt: true,
      confirmationTokenVersion: true,
      confirmationSentAt: true,
      confirmationFailedAt: true,
      campaign: { select: { slug: true, title: true } },
    },
  });
  if (!s || s.status !== SignatureStatus.PENDING) return null;
  const requested = s.confirmationRequestedAt.getTime();
  if (s.confirmationSentAt && s.confirmationSentAt.getTime() >= requested) return null;
  if (s.confirmationFailedAt && s.confirmationFailedAt.getTime() >= requested) return null;
  return s;
}

// updateMany: the signature may have been removed (or purged) while its email was being sent.
export async function markConfirmationSent(signatureId: string, at: Date) {
  await db.signature.updateMany({ where: { id: signatureId }, data: { confirmationSentAt: at } });
}

/** The confirmation will not be sent for this request: a permanent refusal, retries used up, or a suppressed address. */
export async function markConfirmationFailed(signatureId: string, at: Date, error: string) {
  await db.signature.updateMany({ where: { id: signatureId }, data: { confirmationFailedAt: at, confirmationError: error.slice(0, 1000) } });
}
