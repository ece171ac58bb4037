import { Prisma } from '../generated/prisma/client.ts';
import { db, isUniqueViolation } from '../utils/db.server.ts';
import { SignatureStatus, UpdateStatus } from '../generated/prisma/enums.ts';
import { SKIPPED_UNSUBSCRIBED } from './update.server.ts';

// The worker's side of updates to signers. Recipients of an update are the signers who were
// recipients when it started sending: confirmed, opted in, and not unsubscribed at `sendStartedAt`.
// Each one ends with exactly one finished UpdateDelivery row (sentAt or error), and the update's
// counters move once per row, in the same transaction as the row.

export const FAN_OUT_BATCH = 500;

/** A finished delivery row (sent, or given up on): its pair is never sent again. */
const finished = Prisma.sql`(d."sentAt" IS NOT NULL OR d.error IS NOT NULL)`;

/** The signers of update `u` still owed its email (SQL fragment; needs `u` and `s` in scope). */
const owedRecipient = Prisma.sql`
  s."campaignId" = u."campaignId" AND s.status = 'CONFIRMED' AND s."wantsUpdates"
  AND s."confirmedAt" <= u."sendStartedAt"
  AND (s."unsubscribedAt" IS NULL OR s."unsubscribedAt" > u."sendStartedAt")
  AND NOT EXISTS (SELECT 1 FROM "UpdateDelivery" d WHERE d."updateId" = u.id AND d."signatureId" = s.id AND ${finished})`;

export function updateForFanOut(updateId: string) {
  return db.update.findUnique({ where: { id: updateId }, select: { id: true, status: true } });
}

/** One page of owed recipients after `afterId` (keyset pagination on the signature id). */
export async function owedRecipientPage(updateId: string, afterId: string, limit = FAN_OUT_BATCH): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT s.id FROM "Update" u JOIN "Signature" s ON s."campaignId" = u."campaignId"
    WHERE u.id = ${updateId} AND u.status = 'SENDING' AND s.id > ${afterId} AND ${owedRecipient}
    ORDER BY s.id
    LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/**
 * Marks an update SENT when nobody is owed its email any more although the counters never met
 * (a recipient's signature was deleted meanwhile, say). One statement, so nothing can slip between
 * the check and the change; a delivery still in flight counts as owed.
 */
export async function finishDrainedUpdate(updateId: string): Promise<boolean> {
  const count = await db.$executeRaw`
    UPDATE "Update" u SET status = 'SENT', "sentAt" = (now() AT TIME ZONE 'UTC'), "recipientCount" = u."sentCount"
    WHERE u.id = ${updateId} AND u.status = 'SENDING'
      AND NOT EXISTS (SELECT 1 FROM "Signature" s WHERE ${owedRecipient})`;
  return count === 1;
}

export type PreparedUpdateEmail =
  | {
      send: true;
      deliveryId: string;
      signature: { id: string; email: string; emailNormalized: string; fullName: string };
      update: { id: string; title: string; body: string; campaign: { title: string; slug: string } };
    }
  | { send: false; reason: string };

/**
 * Claims the (update, signature) pair by creating its delivery row; the unique key makes a later
 * claim find the first. A finished row means the pair is done, so a re-run sends nothing twice.
 * A signer who unsubscribed after the send began is skipped and dropped from the recipients.
 */
export async function prepareUpdateEmail(updateId: string, signatureId: string): Promise<PreparedUpdateEmail> {
  const [update, signature] = await Promise.all([
    db.update.findUnique({
      where: { id: updateId },
      select: {
        id: true,
        campaignId: true,
        title: true,
        body: true,
        status: true,
        sendStartedAt: true,
        campaign: { select: { title: true, slug: true } },
      },
    }),
    db.signature.findUnique({
      where: { id: signatureId },
      select: {
        id: true,
        campaignId: true,
        email: true,
        emailNormalized: true,
        fullName: true,
        status: true,
        wantsUpdates: true,
        confirmedAt: true,
        unsubscribedAt: true,
      },
    }),
  ]);
  if (!update || !signature) return { send: false, reason: 'gone' };
  if (update.status === UpdateStatus.DRAFT || !update.sendStartedAt) return { send: false, reason: 'not sending' };
  const startedAt = update.sendStartedAt.getTime();
  const wasRecipient =
    signature.campaignId === update.campaignId &&
    signature.status === SignatureStatus.CONFIRMED &&
    signature.wantsUpdates &&
    signature.confirmedAt !== null &&
    signature.confirmedAt.getTime() <= startedAt &&
    (signature.unsubscribedAt === null || signature.unsubscribedAt.getTime() > startedAt);
  if (!wasRecipient) return { send: false, reason: 'not a recipient' };

  const delivery = await claimUpdateDelivery(updateId, signatureId);
  if (delivery.sentAt || delivery.error) return { send: false, reason: 'already done' };
  if (signature.unsubscribedAt) {
    await markUpdateEmailFailed(delivery.id, updateId, SKIPPED_UNSUBSCRIBED);
    return { send: false, reason: 'unsubscribed' };
  }
  return {
    send: true,
    deliveryId: delivery.id,
    signature: { id: signature.id, email: signature.email, emailNormalized: signature.emailNormalized, fullName: signature.fullName },
    update: { id: update.id, title: update.title, body: update.body, campaign: update.campaign },
  };
}

async function claimUpdateDelivery(updateId: string, signatureId: string) {
  const select = { id: true, sentAt: true, error: true } as const;
  try {
    return await db.updateDelivery.create({ data: { updateId, signatureId }, select });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db.updateDelivery.findUniqueOrThrow({ where: { updateId_signatureId: { updateId, signatureId } }, select });
  }
}

/** A claimed (update, signature) pair not yet sent or given up on. */
export async function isUpdateEmailOwed(deliveryId: string): Promise<boolean> {
  const row = await db.updateDelivery.findUnique({ where: { id: deliveryId }, select: { sentAt: true, error: true } });
  return row !== null && row.sentAt === null && row.error === null;
}

/** Records the send and moves the update's progress, once per delivery row. */
export async function markUpdateEmailSent(deliveryId: string, updateId: string, messageId: string, sentAt: Date) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.updateDelivery.updateMany({
      where: { id: deliveryId, sentAt: null, error: null },
      data: { sentAt, messageId },
    });
    if (count !== 1) return;
    // One statement (the row lock orders concurrent senders): the last one marks the update SENT.
    // In SET, column names mean the values before this update.
    await tx.$executeRaw`
      UPDATE "Update" SET
        "sentCount" = "sentCount" + 1,
        status = CASE WHEN status = 'SENDING' AND "sentCount" + 1 >= "recipientCount" THEN 'SENT'::"UpdateStatus" ELSE status END,
        "sentAt" = CASE WHEN status = 'SENDING' AND "sentCount" + 1 >= "recipientCount" THEN (now() AT TIME ZONE 'UTC') ELSE "sentAt" END
      WHERE id = ${updateId}`;
  });
}

/**
 * Records why a recipient got nothing (a permanent SMTP refusal, retries used up, unsubscribed
 * meanwhile). They stop counting as a recipient, so the update still finishes when the rest are sent.
 */
export async function markUpdateEmailFailed(deliveryId: string, updateId: string, message: string) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.updateDelivery.updateMany({
      where: { id: deliveryId, sentAt: null, error: null },
      data: { error: message.slice(0, 1000) },
    });
    if (count !== 1) return;
    await tx.$executeRaw`
      UPDATE "Update" SET
        "recipientCount" = GREATEST("recipientCount" - 1, 0),
        status = CASE WHEN status = 'SENDING' AND "sentCount" >= "recipientCount" - 1 THEN 'SENT'::"UpdateStatus" ELSE status END,
        "sentAt" = CASE WHEN status = 'SENDING' AND "sentCount" >= "recipientCount" - 1 THEN (now() AT TIME ZONE 'UTC') ELSE "sentAt" END
      WHERE id = ${updateId}`;
  });
}
