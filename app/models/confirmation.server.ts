import { db } from '../utils/db.server.ts';
import { SignatureStatus } from '../generated/prisma/enums.ts';

/** What the confirmation email needs, or null when no email is owed (confirmed, already sent, failed). */
export async function findOwedConfirmation(signatureId: string) {
  const s = await db.signature.findUnique({
    where: { id: signatureId },
    select: {
      id: true,
      email: true,
      fullName: true,
      status: true,
      confirmationRequestedAt: true,
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

export async function markConfirmationSent(signatureId: string, at: Date) {
  await db.signature.update({ where: { id: signatureId }, data: { confirmationSentAt: at } });
}

export async function markConfirmationFailed(signatureId: string, at: Date) {
  await db.signature.update({ where: { id: signatureId }, data: { confirmationFailedAt: at } });
}
