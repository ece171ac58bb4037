import { db } from '../utils/db.server.ts';

// Counter writers take this lock so a recount never overwrites a batch added at the same moment.
export const COUNTER_LOCK = 7_301_001;

/** Largest number of confirmations added to counters in one statement. */
export const COUNT_BATCH = 5_000;

/**
 * Adds newly confirmed signatures to their campaigns' counters: one UPDATE per campaign per
 * batch instead of one per signature, so a busy campaign's row is not a hot spot.
 * Returns how many signatures were counted.
 */
export async function flushSignatureCounts(): Promise<number> {
  const rows = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${COUNTER_LOCK})`;
    return tx.$queryRaw<Array<{ counted: bigint }>>`
      WITH batch AS (
        UPDATE "Signature" SET "countedAt" = now()
        WHERE id IN (
          SELECT id FROM "Signature"
          WHERE status = 'CONFIRMED' AND "countedAt" IS NULL
          LIMIT ${COUNT_BATCH} FOR UPDATE SKIP LOCKED
        )
        RETURNING "campaignId"
      ),
      per_campaign AS (SELECT "campaignId", count(*) AS n FROM batch GROUP BY "campaignId"),
      bumped AS (
        UPDATE "Campaign" c SET "signatureCount" = c."signatureCount" + p.n
        FROM per_campaign p WHERE c.id = p."campaignId"
        RETURNING p.n
      )
      SELECT coalesce(sum(n), 0)::bigint AS counted FROM bumped`;
  });
  return Number(rows[0]?.counted ?? 0);
}

/** Recomputes every counter from the signatures counted so far, correcting any drift. */
export async function recountSignatures(): Promise<number> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${COUNTER_LOCK})`;
    return tx.$executeRaw`
      UPDATE "Campaign" c SET "signatureCount" = coalesce(t.n, 0)
      FROM "Campaign" c2
      LEFT JOIN (
        SELECT "campaignId", count(*)::int AS n FROM "Signature"
        WHERE status = 'CONFIRMED' AND "countedAt" IS NOT NULL GROUP BY "campaignId"
      ) t ON t."campaignId" = c2.id
      WHERE c.id = c2.id AND c."signatureCount" <> coalesce(t.n, 0)`;
  });
}
