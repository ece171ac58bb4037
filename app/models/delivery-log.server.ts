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
    select: { ...addresseeSettings, ...addresseeProgress },
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
