import { MemberRole } from '../generated/prisma/enums.ts';
import { db, isUniqueViolation } from '../utils/db.server.ts';

// Telling a campaign's owners and editors that Chorus paused one of its addressees by itself (its
// address kept failing: see bounce.server.ts). One email per owner or editor per pause: each is a
// PauseNotice row, unique per (addressee, pause, user), finished when sent or given up on, with a job
// of its own. Addressee.pauseNoticeSentAt records that the rows of the current pause were made and
// their jobs queued; the reconciler re-queues rows left unfinished.

/** A pause whose notices are still to be made: automatic (it has a reason), in force, not done yet. */
export async function findOwedPauseNotice(addresseeId: string) {
  const addressee = await db.addressee.findUnique({
    where: { id: addresseeId },
    select: {
      id: true,
      name: true,
      role: true,
      email: true,
      paused: true,
      pausedAt: true,
      pauseReason: true,
      pauseNoticeSentAt: true,
      hardBounces: true,
      campaign: {
        select: {
          id: true,
          title: true,
          members: {
            where: { role: { in: [MemberRole.OWNER, MemberRole.EDITOR] } },
            orderBy: { invitedAt: 'asc' },
            select: { user: { select: { id: true, name: true, email: true } } },
          },
        },
      },
    },
  });
  if (!addressee || !addressee.paused || !addressee.pausedAt || addressee.pauseReason === null) return null;
  if (addressee.pauseNoticeSentAt && addressee.pauseNoticeSentAt >= addressee.pausedAt) return null;
  return { ...addressee, pausedAt: addressee.pausedAt, pauseReason: addressee.pauseReason };
}

export type OwedPauseNotice = NonNullable<Awaited<ReturnType<typeof findOwedPauseNotice>>>;

/** The notice to one organiser about one pause, created on first use; a second claim finds the first. */
export async function claimPauseNotice(addresseeId: string, pausedAt: Date, userId: string) {
  const select = { id: true, sentAt: true, error: true } as const;
  const where = { addresseeId_pausedAt_userId: { addresseeId, pausedAt, userId } };
  const found = await db.pauseNotice.findUnique({ where, select });
  if (found) return found;
  try {
    return await db.pauseNotice.create({ data: { addresseeId, pausedAt, userId }, select });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db.pauseNotice.findUniqueOrThrow({ where, select });
  }
}

/** What one notice needs, while it is owed: not sent or given up on, and the addressee still in that pause. */
export async function findOwedNotice(noticeId: string) {
  const row = await db.pauseNotice.findUnique({
    where: { id: noticeId },
    select: {
      id: true,
      sentAt: true,
      error: true,
      pausedAt: true,
      user: { select: { name: true, email: true } },
      addressee: {
        select: {
          name: true,
          role: true,
          email: true,
          paused: true,
          pausedAt: true,
          pauseReason: true,
          hardBounces: true,
          campaign: { select: { id: true, title: true } },
        },
      },
    },
  });
  if (!row || row.sentAt || row.error) return null;
  if (!row.addressee.paused || row.addressee.pausedAt?.getTime() !== row.pausedAt.getTime()) return null;
  return row;
}

export async function markPauseNoticeSent(noticeId: string, messageId: string, at: Date) {
  await db.pauseNotice.updateMany({ where: { id: noticeId, sentAt: null }, data: { sentAt: at, messageId, error: null } });
}

export async function markPauseNoticeFailed(noticeId: string, error: string) {
  await db.pauseNotice.updateMany({ where: { id: noticeId, sentAt: null, error: null }, data: { error: error.slice(0, 1000) } });
}

/** Every owner's and editor's notice of this pause exists and has its job. */
export async function markPauseNoticesQueued(addresseeId: string, pausedAt: Date) {
  await db.addressee.updateMany({ where: { id: addresseeId, pausedAt }, data: { pauseNoticeSentAt: new Date() } });
}

/** For the reconciler: automatic pauses of the last 3 days whose notices were never made (a job lost with Redis, say). */
export function owedPauseNotices(olderThanSeconds = 30) {
  return db.$queryRaw<Array<{ id: string; pausedAt: Date }>>`
    SELECT id, "pausedAt" FROM "Addressee"
    WHERE paused AND "pauseReason" IS NOT NULL AND "pausedAt" IS NOT NULL
      AND ("pauseNoticeSentAt" IS NULL OR "pauseNoticeSentAt" < "pausedAt")
      AND "pausedAt" < now() - make_interval(secs => ${olderThanSeconds})
      AND "pausedAt" > now() - interval '3 days'
    LIMIT 1000`;
}

/** For the reconciler: notices made but never sent or given up on, while their pause lasts. */
export function unsentPauseNotices(olderThanSeconds = 30) {
  return db.$queryRaw<Array<{ id: string }>>`
    SELECT n.id FROM "PauseNotice" n JOIN "Addressee" a ON a.id = n."addresseeId"
    WHERE n."sentAt" IS NULL AND n.error IS NULL AND a.paused AND a."pausedAt" = n."pausedAt"
      AND n."createdAt" < now() - make_interval(secs => ${olderThanSeconds})
      AND n."createdAt" > now() - interval '3 days'
    LIMIT 1000`;
}
