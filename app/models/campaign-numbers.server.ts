import { db } from '../utils/db.server.ts';
import type { DeliveryStatus } from '../generated/prisma/enums.ts';
import { addresseeOrder, addresseeProgress } from './addressee.server.ts';

// The organiser dashboard's numbers: signature counts, per-addressee delivery counts, signatures per day.
// Counting here is fine: these pages are seen by a handful of organisers, not the public.

export type AddresseeNumbers = {
  id: string;
  name: string;
  role: string;
  deliveryMode: string;
  paused: boolean;
  /** Set when Chorus paused the addressee itself (its address kept failing); null for a pause by hand. */
  pauseReason: string | null;
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
      orderBy: addresseeOrder(),
      select: { id: true, name: true, role: true, deliveryMode: true, pauseReason: true, ...addresseeProgress },
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
