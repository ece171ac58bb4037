import { Prisma } from '../generated/prisma/client.ts';
import { db } from '../utils/db.server.ts';
import { env } from '../utils/env.server.ts';

// The retention job: what Chorus no longer needs is deleted on a schedule, with the periods from the
// env module (the privacy page states the same values). Each purge is one bounded statement per batch.

const DAY_MS = 86_400_000;
const BATCH = 5_000;

export type RetentionCounts = {
  unconfirmedSignatures: number;
  sessions: number;
  signInTokens: number;
  ipHashes: number;
  exportLogs: number;
};

/** Repeats a bounded statement until it touches fewer rows than a batch. */
async function inBatches(statement: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await statement();
    total += n;
    if (n < BATCH) return total;
  }
}

export async function purgeExpiredData(now = new Date()): Promise<RetentionCounts> {
  const config = env();
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
  // Columns are UTC timestamps without a zone: the raw statements compare them with UTC "now".
  const utcNow = Prisma.sql`(now() AT TIME ZONE 'UTC')`;
  const exportsBefore = before(config.EXPORT_LOG_DAYS);

  // Never confirmed: they never counted and were never delivered, so nothing else has to change.
  const unconfirmedSignatures = await inBatches(
    () => db.$executeRaw`
      DELETE FROM "Signature" WHERE id IN (
        SELECT id FROM "Signature"
        WHERE status = 'PENDING'
          AND "confirmationRequestedAt" < ${utcNow} - make_interval(days => ${config.UNCONFIRMED_SIGNATURE_DAYS})
        LIMIT ${BATCH})`,
  );
  const sessions = (await db.session.deleteMany({ where: { expiresAt: { lt: now } } })).count;
  const signInTokens = (await db.loginToken.deleteMany({ where: { expiresAt: { lt: now } } })).count;
  const ipHashes = await inBatches(
    () => db.$executeRaw`
      UPDATE "Signature" SET "ipHash" = NULL WHERE id IN (
        SELECT id FROM "Signature" WHERE "ipHash" IS NOT NULL
          AND "createdAt" < ${utcNow} - make_interval(days => ${config.IP_HASH_DAYS})
        LIMIT ${BATCH})`,
  );
  const exportLogs = (await db.exportLog.deleteMany({ where: { createdAt: { lt: exportsBefore } } })).count;
  return { unconfirmedSignatures, sessions, signInTokens, ipHashes, exportLogs };
}
