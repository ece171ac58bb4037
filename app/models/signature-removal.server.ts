import { db } from '../utils/db.server.ts';
import { keyedHash, safeEqual } from '../utils/crypto.server.ts';
import { publicUrl } from '../utils/public-url.server.ts';
import { RemovalSource } from '../generated/prisma/enums.ts';
import { COUNTER_LOCK } from './counter.server.ts';

// Removing a signature: by the signer (personal link in every signer email and on the thank-you
// page) or by a campaign owner. The row is deleted, not anonymised (docs/decisions/009-signature-removal.md):
// what is left is a log line that says who removed a signature, when and why, and nothing about the signer.

/** Derived from the signature id, like the unsubscribe token: nothing is stored, so nothing can leak. */
export function removalToken(signatureId: string): string {
  return keyedHash('remove', signatureId);
}

export function removalPath(signatureId: string): string {
  return `/remove/${encodeURIComponent(signatureId)}/${removalToken(signatureId)}`;
}

export function removalUrl(signatureId: string): string {
  return publicUrl(removalPath(signatureId));
}

export function validRemovalToken(signatureId: string, token: string): boolean {
  if (!signatureId || signatureId.length > 64 || !token || token.length > 128) return false;
  return safeEqual(token, removalToken(signatureId));
}

export type RemovalLookup = { found: false } | { found: true; signature: { campaign: { title: string; slug: string } } | null };

/**
 * For the removal page. A valid link whose signature no longer exists was removed already (or
 * never confirmed and purged): the page says so instead of "not found".
 */
export async function findRemoval(signatureId: string, token: string): Promise<RemovalLookup> {
  if (!validRemovalToken(signatureId, token)) return { found: false };
  const signature = await db.signature.findUnique({
    where: { id: signatureId },
    select: { campaign: { select: { title: true, slug: true } } },
  });
  return { found: true, signature };
}

type RemovedBy = { source: 'SIGNER' } | { source: 'ORGANISER'; userId: string; reason: string };

/**
 * Deletes the signature and everything that names it (letter items, update deliveries), takes it
 * off the campaign's counter if it was counted, and logs the removal, in one transaction. The
 * counter lock orders this with the batched counter and the recount, so they always agree.
 * Letters already delivered stay in the addressee's public record as numbers.
 * Returns the campaign id, or null when there was no such signature (in that campaign).
 */
async function deleteSignature(signatureId: string, campaignId: string | null, by: RemovedBy): Promise<{ campaignId: string } | null> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${COUNTER_LOCK})`;
    // A letter claimed but not yet sent would otherwise stay pending for ever without its item.
    await tx.$executeRaw`
      UPDATE "Delivery" d SET status = 'FAILED', error = 'The signature was removed before the letter was sent.'
      WHERE d.status = 'PENDING' AND d.kind = 'LETTER'
        AND d.id IN (SELECT i."deliveryId" FROM "DeliveryItem" i WHERE i."signatureId" = ${signatureId})`;
    const rows = await tx.$queryRaw<Array<{ campaignId: string; status: string; countedAt: Date | null }>>`
      DELETE FROM "Signature"
      WHERE id = ${signatureId} AND (${campaignId}::text IS NULL OR "campaignId" = ${campaignId})
      RETURNING "campaignId", status::text AS status, "countedAt"`;
    const removed = rows[0];
    if (!removed) return null;
    if (removed.countedAt) {
      await tx.$executeRaw`
        UPDATE "Campaign" SET "signatureCount" = GREATEST("signatureCount" - 1, 0) WHERE id = ${removed.campaignId}`;
    }
    await tx.signatureRemoval.create({
      data: {
        campaignId: removed.campaignId,
        source: by.source === 'SIGNER' ? RemovalSource.SIGNER : RemovalSource.ORGANISER,
        removedById: by.source === 'ORGANISER' ? by.userId : null,
        reason: by.source === 'ORGANISER' ? by.reason : null,
        wasConfirmed: removed.status === 'CONFIRMED',
      },
    });
    return { campaignId: removed.campaignId };
  });
}

/** The signer's own removal, through the emailed link. Null for a wrong link. Idempotent. */
export async function removeOwnSignature(signatureId: string, token: string) {
  if (!validRemovalToken(signatureId, token)) return null;
  const signature = await db.signature.findUnique({
    where: { id: signatureId },
    select: { campaign: { select: { title: true, slug: true } } },
  });
  if (signature) await deleteSignature(signatureId, null, { source: 'SIGNER' });
  return { campaign: signature?.campaign ?? null };
}

/** An owner removes a signer from the campaign (the route checks the role), with a reason. */
export async function removeSignatureByOrganiser(campaignId: string, signatureId: string, userId: string, reason: string) {
  const removed = await deleteSignature(signatureId, campaignId, { source: 'ORGANISER', userId, reason });
  return removed ? { ok: true as const } : { ok: false as const };
}

/** The removal log of a campaign for its owners: who, when, why; nothing about the removed signers. */
export async function removalLog(campaignId: string, take = 50) {
  const rows = await db.signatureRemoval.findMany({
    where: { campaignId },
    orderBy: { createdAt: 'desc' },
    take,
    select: {
      id: true,
      source: true,
      reason: true,
      wasConfirmed: true,
      createdAt: true,
      removedBy: { select: { name: true, email: true } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    source: r.source,
    reason: r.reason,
    wasConfirmed: r.wasConfirmed,
    createdAt: r.createdAt,
    removedBy: r.removedBy ? (r.removedBy.name ?? r.removedBy.email) : null,
  }));
}
