import { db } from '../utils/db.server.ts';
import { derivedToken, safeEqual } from '../utils/crypto.server.ts';
import { renderMarkdown } from '../utils/markdown.server.ts';
import { SignatureStatus, UpdateStatus } from '../generated/prisma/enums.ts';
import { enqueueOrDefer, enqueueUpdateFanOut } from '../queues.server.ts';
import type { UpdateInput } from '../validation/update.ts';
import { publicUrl } from '../utils/public-url.server.ts';

// Updates to signers: organisers write drafts, send them once, and the campaign page shows what
// was sent. Sending itself happens in the worker (workers/updates.worker.ts, models/update-delivery.server.ts).

/** Marks a delivery that was skipped because the signer unsubscribed after the send began. */
export const SKIPPED_UNSUBSCRIBED = 'unsubscribed before it was sent';

/** Unsubscribe tokens are derived from the signature id, so nothing has to be stored to check them. */
export function unsubscribeToken(signatureId: string): string {
  return derivedToken('unsubscribe', signatureId);
}

export function unsubscribeUrl(signatureId: string): string {
  return publicUrl(`/u/${encodeURIComponent(signatureId)}/${unsubscribeToken(signatureId)}`);
}

function validUnsubscribeToken(signatureId: string, token: string): boolean {
  if (!signatureId || !token || signatureId.length > 100 || token.length > 100) return false;
  return safeEqual(token, unsubscribeToken(signatureId));
}

export async function createUpdateDraft(campaignId: string, authorId: string, input: UpdateInput) {
  return db.update.create({
    data: { campaignId, authorId, title: input.title, body: input.body },
    select: { id: true },
  });
}

/** Only drafts can change; false when the update is not a draft of this campaign (any more). */
export async function editUpdateDraft(campaignId: string, updateId: string, input: UpdateInput): Promise<boolean> {
  const { count } = await db.update.updateMany({
    where: { id: updateId, campaignId, status: UpdateStatus.DRAFT },
    data: { title: input.title, body: input.body },
  });
  return count === 1;
}

export async function deleteUpdateDraft(campaignId: string, updateId: string): Promise<boolean> {
  const { count } = await db.update.deleteMany({ where: { id: updateId, campaignId, status: UpdateStatus.DRAFT } });
  return count === 1;
}

export function getUpdateDraft(campaignId: string, updateId: string) {
  return db.update.findFirst({
    where: { id: updateId, campaignId, status: UpdateStatus.DRAFT },
    select: { id: true, title: true, body: true },
  });
}

/** The body exactly as the email and the campaign page show it. */
export function previewUpdate(input: UpdateInput) {
  return { title: input.title, html: renderMarkdown(input.body) };
}

/** Who an update sent now would reach: confirmed signers who asked for updates and did not unsubscribe. */
export function countUpdateRecipients(campaignId: string) {
  return db.signature.count({
    where: { campaignId, status: SignatureStatus.CONFIRMED, wantsUpdates: true, unsubscribedAt: null },
  });
}

export type StartSendingResult =
  | { ok: true; recipientCount: number }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'not-draft'; status: UpdateStatus };

/**
 * DRAFT → SENDING in one conditional statement, so a double click (or two editors) sends once.
 * The recipients are counted in the same statement; the fan-out later enumerates exactly the signers
 * who were recipients at `sendStartedAt` (timestamps in UTC, at the column's millisecond precision).
 */
export async function startSendingUpdate(campaignId: string, updateId: string): Promise<StartSendingResult> {
  const rows = await db.$queryRaw<Array<{ recipientCount: number }>>`
    WITH t AS (SELECT (now() AT TIME ZONE 'UTC')::timestamp(3) AS at),
    n AS (
      SELECT count(*)::int AS c FROM "Signature" s, t
      WHERE s."campaignId" = ${campaignId} AND s.status = 'CONFIRMED' AND s."wantsUpdates"
        AND s."unsubscribedAt" IS NULL AND s."confirmedAt" <= t.at
    )
    UPDATE "Update" u SET
      status = (CASE WHEN n.c = 0 THEN 'SENT' ELSE 'SENDING' END)::"UpdateStatus",
      "recipientCount" = n.c,
      "sendStartedAt" = t.at,
      "sentAt" = CASE WHEN n.c = 0 THEN t.at END
    FROM n, t
    WHERE u.id = ${updateId} AND u."campaignId" = ${campaignId} AND u.status = 'DRAFT'
    RETURNING u."recipientCount" AS "recipientCount"`;
  if (rows.length === 0) {
    const existing = await db.update.findFirst({ where: { id: updateId, campaignId }, select: { status: true } });
    return existing ? { ok: false, reason: 'not-draft', status: existing.status } : { ok: false, reason: 'not-found' };
  }
  const { recipientCount } = rows[0];
  // After the commit; if Redis is down the reconciler finds the update stuck in SENDING and fans out.
  if (recipientCount > 0) await enqueueOrDefer(`update fan-out ${updateId}`, () => enqueueUpdateFanOut(updateId));
  return { ok: true, recipientCount };
}

/** Every update of a campaign, newest first, with how far its sending got. */
export async function updateProgress(campaignId: string) {
  const [updates, notSent] = await Promise.all([
    db.update.findMany({
      where: { campaignId },
      orderBy: { createdAt: 'desc' },
      select: {
        id: true,
        title: true,
        status: true,
        recipientCount: true,
        sentCount: true,
        createdAt: true,
        sendStartedAt: true,
        sentAt: true,
        author: { select: { name: true, email: true } },
      },
    }),
    db.$queryRaw<Array<{ updateId: string; failed: number; unsubscribed: number }>>`
      SELECT d."updateId",
        count(*) FILTER (WHERE d.error <> ${SKIPPED_UNSUBSCRIBED})::int AS failed,
        count(*) FILTER (WHERE d.error = ${SKIPPED_UNSUBSCRIBED})::int AS unsubscribed
      FROM "UpdateDelivery" d JOIN "Update" u ON u.id = d."updateId"
      WHERE u."campaignId" = ${campaignId} AND d.error IS NOT NULL AND d."sentAt" IS NULL
      GROUP BY d."updateId"`,
  ]);
  const byUpdate = new Map(notSent.map((r) => [r.updateId, r]));
  return updates.map((u) => ({
    ...u,
    // recipientCount only keeps those still owed or reached; these were dropped on the way.
    failedCount: byUpdate.get(u.id)?.failed ?? 0,
    unsubscribedCount: byUpdate.get(u.id)?.unsubscribed ?? 0,
  }));
}

// Sent updates never change, so their rendered HTML can be kept; bounded so memory stays small.
const renderedBodies = new Map<string, string>();
const RENDER_CACHE_SIZE = 500;

function renderPublished(id: string, body: string): string {
  let html = renderedBodies.get(id);
  if (html === undefined) {
    html = renderMarkdown(body);
    if (renderedBodies.size >= RENDER_CACHE_SIZE) renderedBodies.delete(renderedBodies.keys().next().value!);
    renderedBodies.set(id, html);
  }
  return html;
}

/** For the public campaign page: updates that went out (or are going out), newest first. */
export async function listPublishedUpdates(campaignId: string, take = 20) {
  const rows = await db.update.findMany({
    where: { campaignId, status: { in: [UpdateStatus.SENDING, UpdateStatus.SENT] } },
    orderBy: { sendStartedAt: 'desc' },
    take,
    select: { id: true, title: true, body: true, sendStartedAt: true },
  });
  return rows.map((u) => ({ id: u.id, title: u.title, html: renderPublished(u.id, u.body), publishedAt: u.sendStartedAt! }));
}

/** For the unsubscribe page: the campaign, or null when the link is not valid. */
export async function findUnsubscribe(signatureId: string, token: string) {
  if (!validUnsubscribeToken(signatureId, token)) return null;
  const signature = await db.signature.findUnique({
    where: { id: signatureId },
    select: { unsubscribedAt: true, campaign: { select: { title: true, slug: true } } },
  });
  if (!signature) return null;
  return { campaign: signature.campaign, unsubscribed: signature.unsubscribedAt !== null };
}

/**
 * Stops updates for one signature. Only the time is recorded; repeating it changes nothing.
 * Returns null when the link is not valid.
 */
export async function unsubscribe(signatureId: string, token: string) {
  if (!validUnsubscribeToken(signatureId, token)) return null;
  // The database's clock, like Update.sendStartedAt, which the fan-out compares it with.
  const count = await db.$executeRaw`
    UPDATE "Signature" SET "unsubscribedAt" = (now() AT TIME ZONE 'UTC')
    WHERE id = ${signatureId} AND "unsubscribedAt" IS NULL`;
  const signature = await db.signature.findUnique({
    where: { id: signatureId },
    select: { campaign: { select: { title: true, slug: true } } },
  });
  if (!signature) return null;
  return { campaign: signature.campaign, alreadyUnsubscribed: count === 0 };
}
