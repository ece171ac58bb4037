import { db } from '../utils/db.server.ts';
import { DeliveryKind, DeliveryStatus } from '../generated/prisma/enums.ts';
import { enqueueDigest, enqueueLetter, enqueueOrDefer } from '../queues.server.ts';
import { deliveriesForAddressee } from './delivery.server.ts';
import { addresseeProgress, addresseeSettings } from './addressee.server.ts';

// The organisers' view of one addressee's deliveries, and sending a failed one again.

export const DELIVERY_LOG_PAGE_SIZE = 50;

/** One addressee's receipt and its deliveries, newest first; null if it is not this campaign's. */
export async function deliveryLog(campaignId: string, addresseeId: string, page = 1) {
  const addressee = await db.addressee.findFirst({
    where: { id: addresseeId, campaignId },
    select: { ...addresseeSettings, ...addresseeProgress, pausedAt: true, pauseReason: true, hardBounces: true },
  });
  if (!addressee) return null;
  const current = Math.max(1, Math.trunc(Number.isFinite(page) ? page : 1));
  const [total, deliveries] = await Promise.all([
    db.delivery.count({ where: { addresseeId } }),
    deliveriesForAddressee(addresseeId, DELIVERY_LOG_PAGE_SIZE, (current - 1) * DELIVERY_LOG_PAGE_SIZE),
  ]);
  return {
    addressee,
    deliveries: deliveries.map(({ _count, ...d }) => ({ ...d, itemCount: _count.items })),
    total,
    page: current,
    pageCount: Math.max(1, Math.ceil(total / DELIVERY_LOG_PAGE_SIZE)),
  };
}

export type RetryResult = { ok: true; queued: boolean } | { ok: false; reason: 'not-found' | 'not-failed' | 'paused' };

/**
 * Sends a failed delivery again: it goes back to PENDING with no attempts, and its job is queued anew.
 * A letter keeps its delivery row (prepareLetter sends a PENDING one); a digest is re-used by
 * prepareDigest with the same signatures. If Redis is down, the reconciler re-queues the pending row
 * later (it replaces a finished job under the same id).
 */
export async function retryDelivery(campaignId: string, deliveryId: string): Promise<RetryResult> {
  const delivery = await db.delivery.findFirst({
    where: { id: deliveryId, addressee: { campaignId } },
    select: {
      id: true,
      kind: true,
      status: true,
      addresseeId: true,
      addressee: { select: { paused: true } },
      items: { take: 1, select: { signatureId: true } },
    },
  });
  if (!delivery) return { ok: false, reason: 'not-found' };
  if (delivery.status !== DeliveryStatus.FAILED) return { ok: false, reason: 'not-failed' };
  // Retrying into a pause would finish the job with nothing sent and leave the row pending.
  if (delivery.addressee.paused) return { ok: false, reason: 'paused' };

  const { count } = await db.delivery.updateMany({
    where: { id: delivery.id, status: DeliveryStatus.FAILED },
    data: { status: DeliveryStatus.PENDING, attempts: 0, error: null },
  });
  if (count === 0) return { ok: false, reason: 'not-failed' }; // someone else retried it first

  const { addresseeId } = delivery;
  if (delivery.kind === DeliveryKind.DIGEST) {
    const queued = await enqueueOrDefer(`retry of digest ${delivery.id}`, () => enqueueDigest(addresseeId, new Date()));
    return { ok: true, queued };
  }
  const signatureId = delivery.items[0]?.signatureId;
  if (!signatureId) return { ok: true, queued: false };
  const queued = await enqueueOrDefer(`retry of letter ${delivery.id}`, () =>
    enqueueLetter(addresseeId, signatureId, { replaceFinished: true }),
  );
  return { ok: true, queued };
}

export type ResendResult =
  | { ok: true; count: number; queued: boolean }
  | { ok: false; reason: 'not-found' | 'paused' | 'none-failed' | 'address-changed' };

/** What an organiser is asked to confirm before re-sending: the address and how many deliveries failed. */
export async function failedDeliveriesOf(campaignId: string, addresseeId: string) {
  const addressee = await db.addressee.findFirst({ where: { id: addresseeId, campaignId }, select: { id: true, email: true, paused: true } });
  if (!addressee) return null;
  const count = await db.delivery.count({ where: { addresseeId, status: DeliveryStatus.FAILED } });
  return { ...addressee, count };
}

const ENQUEUE_CHUNK = 100;

/**
 * Sends every failed delivery of an addressee again, once its address is fixed: all of them go back
 * to PENDING in one transaction, with a DeliveryResend row saying who did it, to which address and
 * how many; their jobs are queued after the commit. `confirmedEmail` is the address the organiser
 * confirmed: if it changed meanwhile, nothing happens and they are asked again.
 */
export async function resendFailedDeliveries(campaignId: string, addresseeId: string, userId: string, confirmedEmail: string): Promise<ResendResult> {
  const outcome = await db.$transaction(async (tx) => {
    // The row lock orders this against an edit of the address or a pause.
    const [addressee] = await tx.$queryRaw<Array<{ id: string; email: string; paused: boolean }>>`
      SELECT id, email, paused FROM "Addressee" WHERE id = ${addresseeId} AND "campaignId" = ${campaignId} FOR UPDATE`;
    if (!addressee) return { ok: false as const, reason: 'not-found' as const };
    // Re-sending into a pause would finish the jobs with nothing sent and leave the rows pending.
    if (addressee.paused) return { ok: false as const, reason: 'paused' as const };
    if (addressee.email !== confirmedEmail) return { ok: false as const, reason: 'address-changed' as const };
    const failed = await tx.delivery.findMany({
      where: { addresseeId, status: DeliveryStatus.FAILED },
      select: { id: true, kind: true, createdAt: true, items: { take: 1, select: { signatureId: true } } },
    });
    if (failed.length === 0) return { ok: false as const, reason: 'none-failed' as const };
    await tx.delivery.updateMany({
      where: { id: { in: failed.map((d) => d.id) }, status: DeliveryStatus.FAILED },
      data: { status: DeliveryStatus.PENDING, attempts: 0, error: null },
    });
    await tx.deliveryResend.create({ data: { addresseeId, userId, email: addressee.email, deliveryCount: failed.length } });
    return { ok: true as const, failed };
  });
  if (!outcome.ok) return outcome;

  // If Redis is down, the reconciler finds the pending rows and queues them itself.
  const enqueues = outcome.failed.map((d) => () => {
    if (d.kind === DeliveryKind.DIGEST) return enqueueDigest(addresseeId, d.createdAt, { replaceFinished: true });
    const signatureId = d.items[0]?.signatureId;
    return signatureId ? enqueueLetter(addresseeId, signatureId, { replaceFinished: true }) : Promise.resolve();
  });
  const queued = await enqueueOrDefer(`re-send of ${enqueues.length} failed deliveries to ${addresseeId}`, async () => {
    for (let i = 0; i < enqueues.length; i += ENQUEUE_CHUNK) await Promise.all(enqueues.slice(i, i + ENQUEUE_CHUNK).map((enqueue) => enqueue()));
  });
  return { ok: true, count: outcome.failed.length, queued };
}

/** The record of re-sends for an addressee, newest first. */
export function deliveryResends(addresseeId: string, take = 20) {
  return db.deliveryResend.findMany({
    where: { addresseeId },
    orderBy: { createdAt: 'desc' },
    take,
    select: { id: true, email: true, deliveryCount: true, createdAt: true, user: { select: { name: true, email: true } } },
  });
}
