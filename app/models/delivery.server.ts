import { db, isUniqueViolation } from '../utils/db.server.ts';
import { DeliveryKind, DeliveryMode, DeliveryStatus, SignatureStatus } from '../generated/prisma/enums.ts';
import { addresseeSettings } from './addressee.server.ts';

const campaignForLetters = {
  select: {
    slug: true,
    title: true,
    summary: true,
    replyTo: true,
    demands: { orderBy: { position: 'asc' as const }, select: { text: true } },
  },
};

const addresseeForLetters = {
  ...addresseeSettings,
  paused: true,
  campaignId: true,
  campaign: campaignForLetters,
} as const;

/** Per-signature addressees of a confirmed signature's campaign that have not had its letter yet. */
export async function lettersOwedForSignature(signatureId: string): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT a.id FROM "Addressee" a
    JOIN "Signature" s ON s."campaignId" = a."campaignId"
    WHERE s.id = ${signatureId} AND s.status = 'CONFIRMED' AND a."deliveryMode" = 'PER_SIGNATURE' AND NOT a.paused
      AND NOT EXISTS (SELECT 1 FROM "DeliveryItem" i WHERE i."addresseeId" = a.id AND i."signatureId" = s.id)`;
  return rows.map((r) => r.id);
}

export type PreparedLetter = NonNullable<Awaited<ReturnType<typeof prepareLetter>>>;

/**
 * Claims the (addressee, signature) pair by creating its delivery row; the unique key makes a
 * second claim find the first. Returns null when there is nothing to send (already sent or failed,
 * signature not confirmed, addressee not per-signature).
 */
export async function prepareLetter(addresseeId: string, signatureId: string) {
  const [addressee, signature] = await Promise.all([
    db.addressee.findUnique({ where: { id: addresseeId }, select: addresseeForLetters }),
    db.signature.findUnique({
      where: { id: signatureId },
      select: { id: true, fullName: true, city: true, country: true, showName: true, status: true, campaignId: true },
    }),
  ]);
  if (!addressee || !signature) return null;
  if (signature.status !== SignatureStatus.CONFIRMED || signature.campaignId !== addressee.campaignId) return null;
  if (addressee.deliveryMode !== DeliveryMode.PER_SIGNATURE) return null;
  // A paused addressee's letters stay owed; the reconciler queues them again once resumed.
  if (addressee.paused) return null;

  const delivery = await claimLetter(addresseeId, signatureId);
  if (delivery.status !== DeliveryStatus.PENDING) return null;
  return { delivery, addressee, signature };
}

async function claimLetter(addresseeId: string, signatureId: string) {
  const existing = () =>
    db.deliveryItem.findUnique({
      where: { addresseeId_signatureId: { addresseeId, signatureId } },
      select: { delivery: { select: { id: true, status: true } } },
    });
  const found = await existing();
  if (found) return found.delivery;
  try {
    return await db.delivery.create({
      data: { addresseeId, kind: DeliveryKind.LETTER, items: { create: { addresseeId, signatureId } } },
      select: { id: true, status: true },
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const raced = await existing();
    if (!raced) throw error;
    return raced.delivery;
  }
}

export type PreparedDigest = NonNullable<Awaited<ReturnType<typeof prepareDigest>>>;

/** Largest number of signatures one digest carries; the rest go in the next one. */
export const DIGEST_MAX_SIGNATURES = 50_000;

/**
 * Gathers the confirmed signatures not yet delivered to a digest addressee into one delivery.
 * A digest left pending by a failed send is re-used, so its signatures go out exactly once.
 */
export async function prepareDigest(addresseeId: string) {
  const deliveryId = await db.$transaction(async (tx) => {
    // Serialises digest preparation per addressee across worker copies.
    const locked = await tx.$queryRaw<Array<{ id: string; deliveryMode: string; paused: boolean }>>`
      SELECT id, "deliveryMode", paused FROM "Addressee" WHERE id = ${addresseeId} FOR UPDATE`;
    if (!locked[0] || locked[0].deliveryMode !== DeliveryMode.DIGEST || locked[0].paused) return null;

    const pending = await tx.delivery.findFirst({
      where: { addresseeId, kind: DeliveryKind.DIGEST, status: DeliveryStatus.PENDING },
      select: { id: true },
    });
    if (pending) return pending.id;

    const delivery = await tx.delivery.create({ data: { addresseeId, kind: DeliveryKind.DIGEST }, select: { id: true } });
    const inserted = await tx.$executeRaw`
      INSERT INTO "DeliveryItem" (id, "deliveryId", "addresseeId", "signatureId")
      SELECT gen_random_uuid()::text, ${delivery.id}, a.id, s.id
      FROM "Addressee" a JOIN "Signature" s ON s."campaignId" = a."campaignId"
      WHERE a.id = ${addresseeId} AND s.status = 'CONFIRMED'
        AND NOT EXISTS (SELECT 1 FROM "DeliveryItem" i WHERE i."addresseeId" = a.id AND i."signatureId" = s.id)
      ORDER BY s."confirmedAt"
      LIMIT ${DIGEST_MAX_SIGNATURES}
      ON CONFLICT DO NOTHING`;
    if (inserted === 0) {
      await tx.delivery.delete({ where: { id: delivery.id } });
      return null;
    }
    await tx.addressee.update({ where: { id: addresseeId }, data: { lastDigestAt: new Date() } });
    return delivery.id;
  });
  if (!deliveryId) return null;

  const [addressee, items] = await Promise.all([
    db.addressee.findUniqueOrThrow({ where: { id: addresseeId }, select: addresseeForLetters }),
    db.deliveryItem.findMany({
      where: { deliveryId },
      select: {
        signature: { select: { fullName: true, city: true, country: true, showName: true, confirmedAt: true } },
      },
      orderBy: { signature: { confirmedAt: 'asc' } },
    }),
  ]);
  return { delivery: { id: deliveryId }, addressee, signatures: items.map((i) => i.signature) };
}

export async function isDeliveryPending(deliveryId: string): Promise<boolean> {
  const row = await db.delivery.findUnique({ where: { id: deliveryId }, select: { status: true } });
  return row?.status === DeliveryStatus.PENDING;
}

/** Records acceptance by the SMTP server and updates the addressee's public receipt, once. */
export async function markDeliverySent(deliveryId: string, messageId: string, acceptedAt: Date) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.delivery.updateMany({
      where: { id: deliveryId, status: DeliveryStatus.PENDING },
      data: { status: DeliveryStatus.SENT, messageId, sentAt: acceptedAt, error: null },
    });
    if (count === 0) return;
    const delivery = await tx.delivery.findUniqueOrThrow({
      where: { id: deliveryId },
      select: { addresseeId: true, _count: { select: { items: true } } },
    });
    await tx.addressee.update({
      where: { id: delivery.addresseeId },
      data: {
        lettersSent: { increment: 1 },
        signaturesDelivered: { increment: delivery._count.items },
        lastDeliveredAt: acceptedAt,
      },
    });
  });
}

export async function noteDeliveryAttempt(deliveryId: string, error: string) {
  await db.delivery.update({
    where: { id: deliveryId },
    data: { attempts: { increment: 1 }, error: error.slice(0, 2000) },
  });
}

export async function markDeliveryFailed(deliveryId: string, error: string) {
  await db.delivery.updateMany({
    where: { id: deliveryId, status: DeliveryStatus.PENDING },
    data: { status: DeliveryStatus.FAILED, error: error.slice(0, 2000), attempts: { increment: 1 } },
  });
}

export function deliveriesForAddressee(addresseeId: string, take = 50, skip = 0) {
  return db.delivery.findMany({
    where: { addresseeId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take,
    skip,
    select: {
      id: true,
      kind: true,
      status: true,
      messageId: true,
      error: true,
      attempts: true,
      sentAt: true,
      createdAt: true,
      _count: { select: { items: true } },
    },
  });
}
