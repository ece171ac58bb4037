import { db } from '../utils/db.server.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { DeliveryKind, DeliveryStatus, MemberRole, SignatureStatus } from '../generated/prisma/enums.ts';
import { QUEUE, enqueueDigest, enqueueLetter, enqueueOrDefer, queue } from '../queues.server.ts';
import { countryName } from '../validation/countries.ts';
import { csvRow } from '../../emails/csv.ts';
import { deliveriesForAddressee } from './delivery.server.ts';
import { publicName } from './signature.server.ts';

// The organiser dashboard: numbers, the signatures list, the CSV export and the delivery log.
// Every function takes the campaign id and scopes its query by it, so an id from another campaign
// finds nothing. Counting here is fine: these pages are seen by a handful of organisers, not the public.

// ---------------------------------------------------------------- who may see what of a signer

/**
 * What an organiser may see of a signer, by role. The signer agreed (CONSENT_TEXT in
 * app/validation/signature.ts) that Chorus stores their name, email, city and country "to count and
 * deliver my signature", and was promised their email is never shown publicly. So:
 * - VIEWER: only what the public page may show — the public name (first name and initial, or the
 *   full name if the signer chose to show it) and the city.
 * - EDITOR: also the full name, country, status and comment: what letters to addressees carry and
 *   what they need to moderate comments.
 * - OWNER: also the email address, which owners answer for (removal requests, updates).
 */
export function signerAccess(role: MemberRole) {
  return { details: role !== MemberRole.VIEWER, email: role === MemberRole.OWNER };
}

// ---------------------------------------------------------------- numbers

export type AddresseeNumbers = {
  id: string;
  name: string;
  role: string;
  deliveryMode: string;
  paused: boolean;
  lettersSent: number;
  signaturesDelivered: number;
  lastDeliveredAt: Date | null;
  deliveries: Record<DeliveryStatus, number>;
};

export async function campaignNumbers(campaignId: string) {
  const [counts] = await db.$queryRaw<Array<{ submitted: number; confirmed: number; pending: number; unsubscribed: number }>>`
    SELECT count(*)::int AS submitted,
           (count(*) FILTER (WHERE status = 'CONFIRMED'))::int AS confirmed,
           (count(*) FILTER (WHERE status = 'PENDING'))::int AS pending,
           (count(*) FILTER (WHERE "unsubscribedAt" IS NOT NULL))::int AS unsubscribed
    FROM "Signature" WHERE "campaignId" = ${campaignId}`;
  const [addressees, byStatus] = await Promise.all([
    db.addressee.findMany({
      where: { campaignId },
      orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
      select: {
        id: true,
        name: true,
        role: true,
        deliveryMode: true,
        paused: true,
        lettersSent: true,
        signaturesDelivered: true,
        lastDeliveredAt: true,
      },
    }),
    db.delivery.groupBy({ by: ['addresseeId', 'status'], where: { addressee: { campaignId } }, _count: { _all: true } }),
  ]);
  return {
    ...(counts ?? { submitted: 0, confirmed: 0, pending: 0, unsubscribed: 0 }),
    addressees: addressees.map(
      (a): AddresseeNumbers => ({
        ...a,
        deliveries: {
          PENDING: 0,
          SENT: 0,
          FAILED: 0,
          ...Object.fromEntries(byStatus.filter((g) => g.addresseeId === a.id).map((g) => [g.status, g._count._all])),
        },
      }),
    ),
  };
}

export type DayCount = { day: string; submitted: number; confirmed: number };

/**
 * Signatures per UTC day for the last `days` days, oldest first, with a row for every day (zero when
 * nothing happened): `submitted` by the day they were made, `confirmed` by the day they were confirmed.
 */
export async function signaturesPerDay(campaignId: string, days = 60): Promise<DayCount[]> {
  const span = Math.min(366, Math.max(1, Math.trunc(days)));
  return db.$queryRaw<DayCount[]>`
    WITH series AS (
      SELECT (now() AT TIME ZONE 'UTC')::date - g AS day FROM generate_series(0, ${span}::int - 1) AS g
    ),
    submitted AS (
      SELECT "createdAt"::date AS day, count(*)::int AS n FROM "Signature"
      WHERE "campaignId" = ${campaignId} AND "createdAt" >= (SELECT min(day) FROM series)
      GROUP BY 1
    ),
    confirmed AS (
      SELECT "confirmedAt"::date AS day, count(*)::int AS n FROM "Signature"
      WHERE "campaignId" = ${campaignId} AND status = 'CONFIRMED' AND "confirmedAt" >= (SELECT min(day) FROM series)
      GROUP BY 1
    )
    SELECT to_char(series.day, 'YYYY-MM-DD') AS day, COALESCE(s.n, 0) AS submitted, COALESCE(c.n, 0) AS confirmed
    FROM series LEFT JOIN submitted s ON s.day = series.day LEFT JOIN confirmed c ON c.day = series.day
    ORDER BY series.day`;
}

export function recentExports(campaignId: string, take = 10) {
  return db.exportLog.findMany({
    where: { campaignId },
    orderBy: { createdAt: 'desc' },
    take,
    select: { id: true, kind: true, rowCount: true, createdAt: true, user: { select: { name: true, email: true } } },
  });
}

// ---------------------------------------------------------------- the signatures list

export const SIGNATURES_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;
export const SEARCH_MAX = 100;

export type SignatureListRow = {
  id: string;
  name: string;
  city: string;
  createdAt: Date;
  confirmedAt: Date | null;
  // EDITOR and OWNER only.
  fullName?: string;
  country?: string;
  countryName?: string;
  status?: SignatureStatus;
  comment?: string | null;
  commentHiddenAt?: Date | null;
  commentHiddenReason?: string | null;
  // OWNER only.
  email?: string;
};

/** `%`, `_` and `\` are wildcards to LIKE, and Prisma passes them through as they are. */
function likeLiteral(term: string) {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A search matches only what the role may see, so a search cannot reveal a hidden field either. */
function searchFilter(term: string, role: MemberRole): Prisma.SignatureWhereInput | undefined {
  if (!term) return undefined;
  const contains = { contains: likeLiteral(term), mode: 'insensitive' as const };
  if (role === MemberRole.VIEWER) {
    const or: Prisma.SignatureWhereInput[] = [{ city: contains }, { showName: true, fullName: contains }];
    // Viewers see the first name of everyone: a term without spaces may match its start.
    if (!/\s/.test(term)) or.push({ fullName: { startsWith: likeLiteral(term), mode: 'insensitive' } });
    return { OR: or };
  }
  const or: Prisma.SignatureWhereInput[] = [{ fullName: contains }, { city: contains }];
  if (signerAccess(role).email) or.push({ email: contains });
  return { OR: or };
}

/** Newest first. Viewers see confirmed signatures only; editors and owners see pending ones too. */
export async function listSignatures(
  campaignId: string,
  options: { search?: string | null; page?: number; pageSize?: number },
  role: MemberRole,
) {
  const access = signerAccess(role);
  const search = (options.search ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().slice(0, SEARCH_MAX);
  const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(options.pageSize ?? SIGNATURES_PAGE_SIZE)));
  const page = Math.max(1, Math.trunc(Number.isFinite(options.page) ? (options.page as number) : 1));
  const where: Prisma.SignatureWhereInput = {
    campaignId,
    ...(access.details ? {} : { status: SignatureStatus.CONFIRMED }),
    ...searchFilter(search, role),
  };
  const [total, rows] = await Promise.all([
    db.signature.count({ where }),
    db.signature.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        fullName: true,
        showName: true,
        email: true,
        city: true,
        country: true,
        status: true,
        comment: true,
        commentHiddenAt: true,
        commentHiddenReason: true,
        createdAt: true,
        confirmedAt: true,
      },
    }),
  ]);
  const signatures = rows.map((s): SignatureListRow => {
    const row: SignatureListRow = {
      id: s.id,
      name: publicName(s.fullName, s.showName),
      city: s.city,
      createdAt: s.createdAt,
      confirmedAt: s.confirmedAt,
    };
    if (access.details) {
      Object.assign(row, {
        fullName: s.fullName,
        country: s.country,
        countryName: countryName(s.country),
        status: s.status,
        comment: s.comment,
        commentHiddenAt: s.commentHiddenAt,
        commentHiddenReason: s.commentHiddenReason,
      });
    }
    if (access.email) row.email = s.email;
    return row;
  });
  return { signatures, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)), search };
}

// ---------------------------------------------------------------- comment moderation

export const HIDE_REASON_MAX = 300;

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

// ---------------------------------------------------------------- CSV export

export const EXPORT_BATCH = 1_000;
export const EXPORT_KIND = 'signatures-csv';

export function exportColumns(role: MemberRole): string[] {
  const access = signerAccess(role);
  return [
    'name',
    ...(access.details ? ['fullName'] : []),
    ...(access.email ? ['email'] : []),
    'city',
    ...(access.details ? ['country', 'comment', 'commentHidden'] : []),
    'wantsUpdates',
    'unsubscribedAt',
    'confirmedAt',
  ];
}

/**
 * The campaign's confirmed signatures as CSV lines (a BOM and header first), read 1,000 at a time by
 * id so memory stays flat however many there are. Who exported is logged before the first row; the
 * row count is written when the export ends, also when the download is cut short.
 */
export async function* exportSignatures(campaignId: string, userId: string, role: MemberRole): AsyncGenerator<string, void, undefined> {
  const access = signerAccess(role);
  const log = await db.exportLog.create({ data: { campaignId, userId, kind: EXPORT_KIND, rowCount: 0 }, select: { id: true } });
  let rowCount = 0;
  try {
    yield '\uFEFF' + csvRow(exportColumns(role));
    let after: string | undefined;
    for (;;) {
      const batch = await db.signature.findMany({
        where: { campaignId, status: SignatureStatus.CONFIRMED, ...(after ? { id: { gt: after } } : {}) },
        orderBy: { id: 'asc' },
        take: EXPORT_BATCH,
        select: {
          id: true,
          fullName: true,
          showName: true,
          email: true,
          city: true,
          country: true,
          comment: true,
          commentHiddenAt: true,
          wantsUpdates: true,
          unsubscribedAt: true,
          confirmedAt: true,
        },
      });
      for (const s of batch) {
        rowCount += 1;
        yield csvRow([
          publicName(s.fullName, s.showName),
          ...(access.details ? [s.fullName] : []),
          ...(access.email ? [s.email] : []),
          s.city,
          ...(access.details ? [countryName(s.country), s.comment, s.commentHiddenAt !== null] : []),
          s.wantsUpdates,
          s.unsubscribedAt,
          s.confirmedAt,
        ]);
      }
      if (batch.length < EXPORT_BATCH) break;
      after = batch[batch.length - 1].id;
    }
  } finally {
    await db.exportLog.update({ where: { id: log.id }, data: { rowCount } });
  }
}

// ---------------------------------------------------------------- deliveries

async function setPaused(campaignId: string, addresseeId: string, paused: boolean): Promise<boolean> {
  const { count } = await db.addressee.updateMany({ where: { id: addresseeId, campaignId }, data: { paused } });
  return count === 1;
}

/** A paused addressee gets nothing; what it is owed stays owed (see prepareLetter, prepareDigest). */
export function pauseAddressee(campaignId: string, addresseeId: string) {
  return setPaused(campaignId, addresseeId, true);
}

/** What was held back goes out on the reconciler's next run (every minute by default). */
export function resumeAddressee(campaignId: string, addresseeId: string) {
  return setPaused(campaignId, addresseeId, false);
}

export const DELIVERY_LOG_PAGE_SIZE = 50;

/** One addressee's receipt and its deliveries, newest first; null if it is not this campaign's. */
export async function deliveryLog(campaignId: string, addresseeId: string, page = 1) {
  const addressee = await db.addressee.findFirst({
    where: { id: addresseeId, campaignId },
    select: {
      id: true,
      name: true,
      role: true,
      email: true,
      deliveryMode: true,
      digestIntervalMinutes: true,
      lettersPerHour: true,
      paused: true,
      lettersSent: true,
      signaturesDelivered: true,
      lastDeliveredAt: true,
    },
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
