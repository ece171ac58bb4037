import { db } from '../utils/db.server.ts';

// What the database says is owed, for the reconciler to turn back into jobs.
// Each query is bounded; what is left over is found on the next run.
const BATCH = 1_000;

/** Pending signatures whose confirmation email was asked for and not yet sent or given up on. */
export function owedConfirmations(olderThanSeconds = 30) {
  return db.$queryRaw<Array<{ id: string; confirmationRequestedAt: Date }>>`
    SELECT id, "confirmationRequestedAt" FROM "Signature"
    WHERE status = 'PENDING'
      AND ("confirmationSentAt" IS NULL OR "confirmationSentAt" < "confirmationRequestedAt")
      AND ("confirmationFailedAt" IS NULL OR "confirmationFailedAt" < "confirmationRequestedAt")
      AND "confirmationRequestedAt" < now() - make_interval(secs => ${olderThanSeconds})
    ORDER BY "confirmationRequestedAt"
    LIMIT ${BATCH}`;
}

/** Confirmed signatures without a letter to one of their campaign's per-signature addressees,
 *  and letters whose delivery row is still pending (a job lost with Redis, say). */
export function owedLetters(olderThanSeconds = 30) {
  return db.$queryRaw<Array<{ addresseeId: string; signatureId: string }>>`
    (SELECT a.id AS "addresseeId", s.id AS "signatureId"
     FROM "Signature" s JOIN "Addressee" a ON a."campaignId" = s."campaignId"
     WHERE s.status = 'CONFIRMED' AND a."deliveryMode" = 'PER_SIGNATURE' AND NOT a.paused
       AND s."confirmedAt" < now() - make_interval(secs => ${olderThanSeconds})
       AND NOT EXISTS (SELECT 1 FROM "DeliveryItem" i WHERE i."addresseeId" = a.id AND i."signatureId" = s.id)
     LIMIT ${BATCH})
    UNION ALL
    (SELECT i."addresseeId", i."signatureId"
     FROM "Delivery" d JOIN "DeliveryItem" i ON i."deliveryId" = d.id
     JOIN "Addressee" a ON a.id = d."addresseeId"
     WHERE d.kind = 'LETTER' AND d.status = 'PENDING' AND NOT a.paused
       AND d."createdAt" < now() - make_interval(secs => ${olderThanSeconds})
     LIMIT ${BATCH})`;
}

/** Digest addressees whose interval has passed and who have undelivered signatures or a pending digest. */
export function dueDigests() {
  return db.$queryRaw<Array<{ id: string; lastDigestAt: Date | null }>>`
    SELECT a.id, a."lastDigestAt" FROM "Addressee" a
    WHERE a."deliveryMode" = 'DIGEST' AND NOT a.paused
      AND (
        -- A pending digest older than the whole retry schedule lost its job (Redis lost data, say).
        EXISTS (SELECT 1 FROM "Delivery" d WHERE d."addresseeId" = a.id AND d.kind = 'DIGEST' AND d.status = 'PENDING'
                AND d."createdAt" < now() - interval '30 minutes')
        OR (
          (a."lastDigestAt" IS NULL OR a."lastDigestAt" <= now() - make_interval(mins => a."digestIntervalMinutes"))
          AND EXISTS (
            SELECT 1 FROM "Signature" s
            WHERE s."campaignId" = a."campaignId" AND s.status = 'CONFIRMED'
              AND NOT EXISTS (SELECT 1 FROM "DeliveryItem" i WHERE i."addresseeId" = a.id AND i."signatureId" = s.id)
          )
        )
      )
    LIMIT ${BATCH}`;
}

/**
 * Updates still SENDING minutes after they started: their fan-out job may have been lost (Redis was
 * down when the organiser pressed Send, say). Fanning out again is idempotent.
 */
export function stalledUpdates(olderThanSeconds = 5 * 60) {
  return db.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "Update"
    WHERE status = 'SENDING' AND "sentCount" < "recipientCount"
      AND "sendStartedAt" < (now() AT TIME ZONE 'UTC') - make_interval(secs => ${olderThanSeconds})
    ORDER BY "sendStartedAt"
    LIMIT ${BATCH}`;
}

/** Sign-in links asked for but never sent (Redis was down), while they are still valid. */
export function owedSignInLinks(olderThanSeconds = 30) {
  return db.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "LoginToken"
    WHERE "sentAt" IS NULL AND "usedAt" IS NULL AND "expiresAt" > now()
      AND "createdAt" < now() - make_interval(secs => ${olderThanSeconds})
    LIMIT ${BATCH}`;
}

/**
 * Co-signatures whose verification email (first or repeated round) was never sent (Redis was down),
 * for 30 days after it was asked for.
 */
export function owedPartnerVerifications(olderThanSeconds = 30) {
  return db.$queryRaw<Array<{ id: string; createdAt: Date; verificationRequestedAt: Date }>>`
    SELECT id, "createdAt", "verificationRequestedAt" FROM "CoSignature"
    WHERE "verificationSentAt" IS NULL
      AND (status = 'UNVERIFIED' OR "verificationRequestedAt" > "createdAt")
      AND "verificationRequestedAt" < now() - make_interval(secs => ${olderThanSeconds})
      AND "verificationRequestedAt" > now() - interval '30 days'
    ORDER BY "verificationRequestedAt"
    LIMIT ${BATCH}`;
}

/**
 * Invitations whose email was never sent (Redis was down), for the reconciler. A creator is never
 * told about their own campaign, and after a few days an invitation is no longer news.
 */
export function owedMemberInvitations(olderThanSeconds = 30) {
  return db.$queryRaw<Array<{ id: string }>>`
    SELECT m.id FROM "CampaignMember" m JOIN "Campaign" c ON c.id = m."campaignId"
    WHERE m."notifiedAt" IS NULL
      AND m."userId" IS DISTINCT FROM c."createdById"
      AND m."invitedAt" < now() - make_interval(secs => ${olderThanSeconds})
      AND m."invitedAt" > now() - interval '3 days'
    LIMIT ${BATCH}`;
}
